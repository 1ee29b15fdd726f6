package dev.cortado.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated records (RFC 4180): fields separated by commas, records by line breaks ({@code \n},
 * {@code \r\n} or {@code \r}); a field in double quotes may hold commas, line breaks and doubled quotes
 * ({@code ""} for {@code "}). Blank lines are skipped. A UTF-8 byte-order mark before the first field is dropped.
 */
final class CsvReader {
    private static final int NONE = -2;

    private final BufferedReader in;
    private final String file;
    private int peeked = NONE;
    private int line = 1;
    private int recordLine;

    CsvReader(Reader in, String file) throws IOException {
        this.in = new BufferedReader(in);
        this.file = file;
        if (peek() == '\uFEFF') {
            read();
        }
    }

    /** The line (from 1) the record last returned by {@link #next()} starts on. */
    int line() {
        return recordLine;
    }

    /**
     * The next record's fields, or null after the last record.
     *
     * @throws DatasetException for a quoted field that is never closed, naming the line it starts on
     */
    List<String> next() throws IOException, DatasetException {
        while (peek() == '\n' || peek() == '\r') {
            lineBreak();
        }
        if (peek() < 0) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        while (true) {
            int c = peek();
            if (quoted) {
                if (c < 0) {
                    throw new DatasetException(file + ": line " + recordLine + ": a quoted field is not closed by the "
                            + "end of the file");
                } else if (c == '"') {
                    read();
                    if (peek() == '"') {
                        field.append((char) read());
                    } else {
                        quoted = false;
                    }
                } else if (c == '\n' || c == '\r') {
                    field.append(lineBreak());
                } else {
                    field.append((char) read());
                }
            } else if (c == '"' && field.length() == 0) {
                read();
                quoted = true;
            } else if (c == ',') {
                read();
                fields.add(field.toString());
                field.setLength(0);
            } else if (c < 0 || c == '\n' || c == '\r') {
                fields.add(field.toString());
                if (c >= 0) {
                    lineBreak();
                }
                return fields;
            } else {
                field.append((char) read());
            }
        }
    }

    /** Consumes one line break ({@code \n}, {@code \r\n} or {@code \r}) and returns it. */
    private String lineBreak() throws IOException {
        line++;
        if (read() == '\r') {
            if (peek() == '\n') {
                read();
                return "\r\n";
            }
            return "\r";
        }
        return "\n";
    }

    private int peek() throws IOException {
        if (peeked == NONE) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = NONE;
        return c;
    }
}
