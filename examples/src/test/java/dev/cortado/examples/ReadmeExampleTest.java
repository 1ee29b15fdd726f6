package dev.cortado.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Java example is this module's QuickStart.java, word for word, so the two cannot drift apart. */
class ReadmeExampleTest {
    private static final String START = "<!-- QuickStart.java -->\n```java\n";
    private static final String END = "```\n<!-- /QuickStart.java -->";

    @Test
    void theReadmeShowsQuickStartAsItIs() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has no block between " + START.strip() + " and "
                + END.strip());
        String shown = readme.substring(start + START.length(), end);
        String source = Files.readString(Path.of("src/main/java/dev/cortado/examples/QuickStart.java"),
                StandardCharsets.UTF_8);
        assertEquals(source, shown, "README.md's QuickStart.java differs from the example: copy the file into it");
    }
}
