package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class SignalChainingTest {
    private static final String WITH_JSIG = """
            7f1c2a000000-7f1c2a001000 r-xp 00000000 08:01 1234 /usr/lib/jvm/java-17-openjdk-amd64/lib/libjsig.so
            7f1c2b000000-7f1c2b900000 r-xp 00000000 08:01 1235 /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so
            """;
    private static final String WITHOUT_JSIG = """
            7f1c2b000000-7f1c2b900000 r-xp 00000000 08:01 1235 /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so
            """;

    @Test
    void readsTheLibraryFromTheMemoryMap() {
        assertEquals("on (libjsig preloaded)", SignalChaining.describe(WITH_JSIG));
        assertTrue(SignalChaining.describe(WITHOUT_JSIG).startsWith("off: "));
        assertTrue(SignalChaining.describe(WITHOUT_JSIG).contains("LD_PRELOAD=$JAVA_HOME/lib/libjsig.so"));
    }

    /** The build preloads the library into the test JVMs (the surefire configuration); this checks it took. */
    @Test
    void theTestJvmRunsWithSignalChaining() {
        String preload = System.getenv("LD_PRELOAD");
        assumeTrue(preload != null && preload.contains("libjsig"),
                "LD_PRELOAD does not name libjsig: not started by the Maven build");
        assertEquals("on (libjsig preloaded)", SignalChaining.status().orElseThrow());
    }
}
