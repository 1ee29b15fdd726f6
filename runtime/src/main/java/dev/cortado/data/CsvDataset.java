package dev.cortado.data;

import dev.cortado.io.IoErrors;
import dev.cortado.tensor.Shape;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A table in CSV files (RFC 4180, a header row naming the columns): every column but the target is a feature (a
 * number), and the target column holds what each row is labelled with. The files: {@value #TRAIN_FILE} and
 * {@value #TEST_FILE} in a directory, or one CSV file (given, or the only one in a directory) whose rows are split
 * by a seeded fraction ({@link Settings}).
 *
 * <p>Classification or regression follows from the training rows' target values, as scikit-learn's
 * {@code type_of_target} decides: any value that is not a number makes the target class names (sorted), integers
 * make it classes too (sorted by value; {@link Settings#regression()} reads them as values instead), and other
 * numbers make it a regression with one value per row ({@code Targets.values(1)}). A row's features form a sample
 * of shape (features).
 *
 * <p>Every row must have every field: a missing value (an empty field, {@code NA}, {@code NaN}, {@code null},
 * {@code ?}), a feature that is not a number or a row of another length is an error naming the file, the line and
 * the column.
 */
public final class CsvDataset implements Dataset {
    /** The training split's file in a directory. */
    public static final String TRAIN_FILE = "train.csv";
    /** The test split's file in a directory. */
    public static final String TEST_FILE = "test.csv";

    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    /**
     * How to read a table.
     *
     * @param target the name of the target column, or null for the last column
     * @param regression read a target of integers as values rather than classes
     * @param testFraction with a single file, the share of its rows held out as the test split, in (0, 1): the
     *     first {@code round(fraction * rows)} of {@code SampleOrder.shuffled(splitSeed, 0)}
     * @param splitSeed the seed of that choice
     */
    public record Settings(String target, boolean regression, double testFraction, long splitSeed) {
        /** @throws IllegalArgumentException for a test fraction outside (0, 1) */
        public Settings {
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("the test fraction must be between 0 and 1, got " + testFraction);
            }
        }

        /** The last column as target, decided by its values, a fifth of a single file's rows held out, seed 0. */
        public static Settings defaults() {
            return new Settings(null, false, 0.2, 0);
        }
    }

    private final Path file;
    private final List<String> features;
    private final String target;
    private final ArrayDataset rows;

    private CsvDataset(Path file, List<String> features, String target, ArrayDataset rows) {
        this.file = file;
        this.features = List.copyOf(features);
        this.target = target;
        this.rows = rows;
    }

    /**
     * The CSV files at {@code path}: {@value #TRAIN_FILE} and {@value #TEST_FILE} (either may be missing) in a
     * directory that has them, else the directory's only {@code .csv} file, or the file {@code path} itself;
     * empty when there are none of these.
     */
    public static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return isCsv(path) ? List.of(path) : List.of();
        }
        Path train = path.resolve(TRAIN_FILE);
        Path test = path.resolve(TEST_FILE);
        if (Files.isRegularFile(train) || Files.isRegularFile(test)) {
            return Stream.of(train, test).filter(Files::isRegularFile).toList();
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> csv = entries.filter(p -> Files.isRegularFile(p) && isCsv(p)).sorted().toList();
            return csv.size() == 1 ? csv : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Reads one split of the table at {@code path} (see {@link #files}).
     *
     * @param known the training data's targets, whose classes (by name) the rows' targets must be, or null to
     *     decide them from the training rows
     * @throws DatasetException naming the file, the line and the column of a bad value, or what is missing
     */
    public static CsvDataset open(Path path, Split split, Settings settings, Targets known) throws DatasetException {
        Path single = Files.isRegularFile(path) ? path : null;
        Path trainFile = single != null ? single : path.resolve(TRAIN_FILE);
        Path splitFile = single != null ? single : path.resolve(split == Split.TRAIN ? TRAIN_FILE : TEST_FILE);
        if (single == null && !Files.isRegularFile(trainFile) && !Files.isRegularFile(splitFile)) {
            List<Path> only = files(path);
            if (only.size() == 1) {
                single = only.get(0);
                trainFile = single;
                splitFile = single;
            }
        }
        if (!Files.isRegularFile(splitFile)) {
            throw new DatasetException(splitFile + ": missing (the " + split.name().toLowerCase(Locale.ROOT)
                    + " split of a CSV dataset: " + TRAIN_FILE + " and " + TEST_FILE + ", or a single .csv file)");
        }
        Table table = Table.read(splitFile);
        int targetColumn = table.column(settings.target());
        Targets targets = known;
        if (targets == null) {
            Table train = trainFile.equals(splitFile) ? table : Table.read(trainFile);
            targets = train.targets(train.column(settings.target()), settings.regression());
        }
        List<Integer> chosen = single == null ? allRows(table.rows.size())
                : splitRows(table.rows.size(), split, settings);
        return table.dataset(chosen, targetColumn, targets);
    }

    /** The file the rows come from. */
    public Path file() {
        return file;
    }

    /** The names of the feature columns, in the order of a sample's values. */
    public List<String> features() {
        return features;
    }

    /** The name of the target column. */
    public String target() {
        return target;
    }

    @Override
    public int count() {
        return rows.count();
    }

    @Override
    public Shape sampleShape() {
        return rows.sampleShape();
    }

    @Override
    public Targets targets() {
        return rows.targets();
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        rows.copyInputs(index, dst, dstOffset);
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        rows.copyTarget(index, dst, dstOffset);
    }

    @Override
    public String toString() {
        return "CsvDataset[" + file + ", " + count() + " rows of " + features.size() + " features, target '" + target
                + "', " + targets() + "]";
    }

    private static boolean isCsv(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    private static List<Integer> allRows(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private static List<Integer> splitRows(int n, Split split, Settings settings) {
        int test = (int) Math.round(settings.testFraction() * n);
        int[] order = SampleOrder.shuffled(settings.splitSeed(), 0).indices(n);
        boolean[] inTest = new boolean[n];
        for (int i = 0; i < test; i++) {
            inTest[order[i]] = true;
        }
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (inTest[i] == (split == Split.TEST)) {
                chosen.add(i);
            }
        }
        return chosen;
    }

    /** A CSV file's header and rows, with the line each row starts on. */
    private record Table(Path file, List<String> header, List<String[]> rows, List<Integer> lines) {

        static Table read(Path file) throws DatasetException {
            List<String[]> rows = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            List<String> header;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                CsvReader csv = new CsvReader(in, file.toString());
                header = csv.next();
                if (header == null) {
                    throw new DatasetException(file + ": empty (a CSV file needs a header row naming its columns)");
                }
                header = header.stream().map(String::strip).toList();
                checkHeader(file, header);
                for (List<String> row = csv.next(); row != null; row = csv.next()) {
                    if (row.size() != header.size()) {
                        throw new DatasetException(file + ": line " + csv.line() + " has " + row.size() + " field"
                                + (row.size() == 1 ? "" : "s") + ", the header has " + header.size());
                    }
                    rows.add(row.stream().map(String::strip).toArray(String[]::new));
                    lines.add(csv.line());
                }
            } catch (IOException e) {
                throw new DatasetException(file + ": unreadable: " + IoErrors.reason(e), e);
            }
            if (rows.isEmpty()) {
                throw new DatasetException(file + ": no rows after the header");
            }
            return new Table(file, header, rows, lines);
        }

        private static void checkHeader(Path file, List<String> header) throws DatasetException {
            if (header.size() < 2) {
                throw new DatasetException(file + ": the header names " + header.size() + " column; a table needs "
                        + "a target column and at least one feature column");
            }
            if (header.stream().allMatch(Table::isNumber)) {
                throw new DatasetException(file + ": line 1 is not a header (every field is a number): a CSV file "
                        + "needs a first row naming its columns");
            }
            Set<String> seen = new TreeSet<>();
            for (String name : header) {
                if (name.isEmpty() || !seen.add(name)) {
                    throw new DatasetException(file + ": line 1: " + (name.isEmpty() ? "a column has no name"
                            : "column '" + name + "' is named twice") + "; every column needs a name of its own");
                }
            }
        }

        /** The index of the target column: {@code name}'s, or the last one's when it is null. */
        int column(String name) throws DatasetException {
            if (name == null) {
                return header.size() - 1;
            }
            int index = header.indexOf(name);
            if (index < 0) {
                throw new DatasetException(file + ": no column '" + name + "' (the columns are "
                        + String.join(", ", header) + ")");
            }
            return index;
        }

        /** The targets the training rows' column holds; see the class comment. */
        Targets targets(int column, boolean regression) throws DatasetException {
            boolean numbers = true;
            boolean integers = true;
            for (int r = 0; r < rows.size(); r++) {
                String value = checkPresent(r, column);
                if (!isNumber(value)) {
                    if (regression) {
                        throw new DatasetException(file + ": line " + lines.get(r) + ": target column '"
                                + header.get(column) + "' is '" + value + "', not a number, but a regression needs "
                                + "numbers");
                    }
                    numbers = false;
                    break;
                }
                double v = Double.parseDouble(value);
                integers &= v == Math.rint(v) && Math.abs(v) < 1e15;
            }
            if (numbers && (regression || !integers)) {
                return Targets.values(1);
            }
            Set<String> names = new TreeSet<>(numbers ? Comparator.comparingDouble(Double::parseDouble)
                    : Comparator.<String>naturalOrder());
            for (int r = 0; r < rows.size(); r++) {
                String value = checkPresent(r, column);
                names.add(numbers ? integerName(value) : value);
            }
            if (names.size() < 2) {
                throw new DatasetException(file + ": target column '" + header.get(column) + "' holds one class ("
                        + names.iterator().next() + "); a classification needs two or more");
            }
            return Targets.classes(new ArrayList<>(names));
        }

        /** The samples of the chosen rows. */
        CsvDataset dataset(List<Integer> chosen, int column, Targets targets) throws DatasetException {
            int features = header.size() - 1;
            float[] inputs = new float[chosen.size() * features];
            float[] values = new float[chosen.size()];
            Map<String, Integer> classes = new HashMap<>();
            for (int c = 0; c < targets.classNames().size(); c++) {
                classes.put(targets.classNames().get(c), c);
            }
            boolean integerClasses = targets.isClassification() && classes.keySet().stream().allMatch(Table::isNumber);
            for (int i = 0; i < chosen.size(); i++) {
                int r = chosen.get(i);
                String[] row = rows.get(r);
                for (int col = 0, f = 0; col < row.length; col++) {
                    if (col != column) {
                        inputs[i * features + f++] = number(r, col);
                    }
                }
                String target = checkPresent(r, column);
                if (targets.isClassification()) {
                    Integer label = classes.get(integerClasses && isNumber(target) ? integerName(target) : target);
                    if (label == null) {
                        throw new DatasetException(file + ": line " + lines.get(r) + ": target '" + target
                                + "' is not one of the " + classes.size() + " classes of the training data ("
                                + String.join(", ", targets.classNames()) + ")");
                    }
                    values[i] = label;
                } else {
                    values[i] = number(r, column);
                }
            }
            List<String> names = new ArrayList<>(header);
            names.remove(column);
            return new CsvDataset(file, names, header.get(column), new ArrayDataset(inputs, values, chosen.size(),
                    Shape.of(features), targets));
        }

        private String checkPresent(int r, int column) throws DatasetException {
            String value = rows.get(r)[column];
            if (MISSING.contains(value.toLowerCase(Locale.ROOT))) {
                throw new DatasetException(file + ": line " + lines.get(r) + ": column '" + header.get(column)
                        + "' is " + (value.isEmpty() ? "empty" : "'" + value + "'") + " (a missing value): fill it "
                        + "in or drop the row");
            }
            return value;
        }

        private float number(int r, int column) throws DatasetException {
            String value = checkPresent(r, column);
            if (!isNumber(value)) {
                throw new DatasetException(file + ": line " + lines.get(r) + ": column '" + header.get(column)
                        + "' is '" + value + "', not a number (every column but the target must hold numbers)");
            }
            float v = (float) Double.parseDouble(value);
            if (!Float.isFinite(v)) {
                throw new DatasetException(file + ": line " + lines.get(r) + ": column '" + header.get(column)
                        + "' is " + value + ", beyond what a float holds");
            }
            return v;
        }

        private static boolean isNumber(String value) {
            if (value.isEmpty() || !(Character.isDigit(value.charAt(value.length() - 1))
                    || value.charAt(value.length() - 1) == '.')) {
                return false;
            }
            try {
                return Double.isFinite(Double.parseDouble(value));
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** The canonical name of an integer class: {@code 3} for {@code 3}, {@code 3.0} and {@code +3}. */
        private static String integerName(String value) {
            return Long.toString((long) Double.parseDouble(value));
        }
    }
}
