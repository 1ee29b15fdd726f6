package dev.cortado.opencl;

import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.GemmTiles;
import dev.cortado.kernel.TiledGemm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL devices and numbers them {@code opencl:0, opencl:1, ...} across platforms, in platform order.
 * Never throws: a missing ICD loader, a loader without platforms and a failing driver all become reasons.
 * A platform whose devices cannot be listed is reported after every working device, so a broken driver does not
 * renumber the devices of the others.
 */
final class OpenClProbe {

    private OpenClProbe() {
    }

    static List<ProbedDevice> probe(ClInventory inventory, GemmChoice gemm) {
        try {
            return probeOrThrow(inventory, gemm);
        } catch (Throwable t) {
            return List.of(new ProbedDevice(DeviceInfo.unavailable(device(0), "OpenCL", reasonFor(t)), null));
        }
    }

    /** The words a user sees for a failure of the whole OpenCL stack. */
    static String reasonFor(Throwable t) {
        if (t instanceof UnsatisfiedLinkError) {
            return "no OpenCL library (libOpenCL.so.1): install an ICD loader and a driver, e.g. ocl-icd-libopencl1 "
                    + "and pocl-opencl-icd (" + t.getMessage() + ")";
        }
        if (t instanceof NoClassDefFoundError) {
            return "the OpenCL binding (JOCL) could not be initialised earlier in this process: " + t.getMessage();
        }
        if (t instanceof CLException e && e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR) {
            return "no OpenCL platform: the ICD loader found no driver (see /etc/OpenCL/vendors)";
        }
        return "OpenCL probe failed: " + t;
    }

    private static List<ProbedDevice> probeOrThrow(ClInventory inventory, GemmChoice gemm) {
        List<cl_platform_id> platforms = inventory.platforms();
        List<ProbedDevice> found = new ArrayList<>();
        List<String> brokenPlatforms = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            List<cl_device_id> ids;
            try {
                ids = inventory.devices(platform);
            } catch (CLException e) {
                if (e.getStatus() != CL_DEVICE_NOT_FOUND) {
                    brokenPlatforms.add(inventory.platformName(platform) + ": cannot list its devices: " + e);
                }
                continue;
            } catch (RuntimeException | LinkageError e) {
                brokenPlatforms.add(inventory.platformName(platform) + ": cannot list its devices: " + e);
                continue;
            }
            for (cl_device_id id : ids) {
                found.add(describe(inventory, platform, id, found.size(), gemm));
            }
        }
        for (String broken : brokenPlatforms) {
            found.add(new ProbedDevice(DeviceInfo.unavailable(device(found.size()), "OpenCL platform", broken),
                    null));
        }
        if (found.isEmpty()) {
            found.add(new ProbedDevice(DeviceInfo.unavailable(device(0), "OpenCL",
                    "no OpenCL device on " + platforms.size() + " platform(s)"), null));
        }
        return List.copyOf(found);
    }

    private static ProbedDevice describe(ClInventory inventory, cl_platform_id platform, cl_device_id id, int index,
                                         GemmChoice gemm) {
        ClDevice d;
        try {
            d = inventory.describe(platform, id);
        } catch (RuntimeException | LinkageError e) {
            return new ProbedDevice(DeviceInfo.unavailable(device(index), "OpenCL device",
                    inventory.platformName(platform) + ": the driver failed to describe the device: " + e), null);
        }
        if (!d.available()) {
            return new ProbedDevice(DeviceInfo.unavailable(device(index), d.name(),
                    "the driver reports the device as not available (CL_DEVICE_AVAILABLE is false)"), null);
        }
        if (!d.compilerAvailable()) {
            return new ProbedDevice(DeviceInfo.unavailable(device(index), d.name(),
                    "the driver has no OpenCL C compiler for it (CL_DEVICE_COMPILER_AVAILABLE is false)"), null);
        }
        return new ProbedDevice(DeviceInfo.available(device(index), d.name(), d.isAccelerator(),
                d.globalMemBytes(), d.computeUnits(), details(d, gemm, null)), d);
    }

    /** The details shown for a device; {@code gemmNote} overrides the GEMM line once a backend knows better. */
    static Map<String, String> details(ClDevice d, GemmChoice gemm, String gemmNote) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("platform", d.platformName());
        details.put("vendor", d.vendor());
        details.put("driver", d.driverVersion());
        details.put("OpenCL C", d.openClCVersion());
        details.put("gemm", gemmNote != null ? gemmNote : gemm == GemmChoice.LIBRARY ? "CLBlast"
                : TiledGemm.describe(GemmTiles.forDevice(d.facts())));
        SignalChaining.status().ifPresent(status -> details.put("signal chaining", status));
        return details;
    }

    private static Device device(int index) {
        return new Device(DeviceKind.OPENCL, index);
    }
}
