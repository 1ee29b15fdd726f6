package dev.cortado.kernel;

import java.nio.charset.StandardCharsets;

/** Text that a device API's C library wrote into a Java byte array. */
public final class NativeStrings {

    private NativeStrings() {
    }

    /** The UTF-8 text before the first NUL (all of it when there is none), trimmed. */
    public static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }
}
