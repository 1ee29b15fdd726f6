package dev.cortado.it.docker;

/** Checks on what jobs print. */
final class Text {
    private Text() {
    }

    /**
     * True if the text holds a terminal control character: anything below U+0020 other than a line feed or a tab
     * (carriage returns and escape sequences of progress bars in particular), or DEL.
     */
    static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f);
    }
}
