package dev.cortado.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTest {

    static Stream<Arguments> goodStrings() {
        return Stream.of(
                Arguments.of("cpu", Device.CPU),
                Arguments.of("CPU", Device.CPU),
                Arguments.of(" cpu ", Device.CPU),
                Arguments.of("cpu:0", Device.CPU),
                Arguments.of("opencl", new Device(DeviceKind.OPENCL, 0)),
                Arguments.of("opencl:0", new Device(DeviceKind.OPENCL, 0)),
                Arguments.of("OpenCL:3", new Device(DeviceKind.OPENCL, 3)),
                Arguments.of("cuda", new Device(DeviceKind.CUDA, 0)),
                Arguments.of("cuda:1", new Device(DeviceKind.CUDA, 1)),
                Arguments.of("CUDA:12", new Device(DeviceKind.CUDA, 12)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("goodStrings")
    void parsesDeviceStrings(String text, Device expected) {
        assertEquals(expected, Device.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "gpu", "cpu:1", "cuda:-1", "cuda:x", "opencl:", "cuda:0:1", "vulkan:0", "cuda 0"})
    void rejectsOtherStringsNamingThem(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), "message names the string: " + e.getMessage());
        assertTrue(e.getMessage().contains("cuda:N"), "message gives the accepted forms: " + e.getMessage());
    }

    @Test
    void toStringParsesBack() {
        for (Device d : new Device[] {Device.CPU, new Device(DeviceKind.OPENCL, 2), new Device(DeviceKind.CUDA, 0)}) {
            assertEquals(d, Device.parse(d.toString()));
        }
        assertEquals("cpu", Device.CPU.toString());
        assertEquals("opencl:2", new Device(DeviceKind.OPENCL, 2).toString());
    }

    @Test
    void rejectsNegativeIndices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Device(DeviceKind.CUDA, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
