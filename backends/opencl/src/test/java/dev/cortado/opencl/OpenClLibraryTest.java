package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the ICD loader is looked for before JOCL opens it. */
class OpenClLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void looksInLdLibraryPathThenTheLinkersCacheThenTheDefaultFolders() throws IOException {
        Path own = library(tmp.resolve("own"), "libOpenCL.so");
        Path cached = library(tmp.resolve("cached"), "libOpenCL.so.1");
        Path system = library(tmp.resolve("system"), "libOpenCL.so.1");
        byte[] cache = ("glibc-ld.so.cache1.1\0libz.so.1\0/lib/libz.so.1\0" + cached + "\0libOpenCL.so.1\0")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(List.of(own, cached, system), OpenClLibrary.locate(tmp.resolve("empty") + ":"
                + own.getParent(), cache, List.of(system.getParent())));
        assertEquals(List.of(system), OpenClLibrary.locate(null, new byte[0], List.of(tmp.resolve("nothing"),
                system.getParent())));
    }

    @Test
    void findsNothingWhereThereIsNoLibrary() {
        assertEquals(List.of(), OpenClLibrary.locate("", "libOpenCL.so.1\0".getBytes(StandardCharsets.ISO_8859_1),
                List.of(tmp)));
    }

    private static Path library(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), "not really a library");
    }
}
