package dev.cortado.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

import java.util.Arrays;
import java.util.List;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * What the probe asks of OpenCL: the platforms, each platform's devices and each device's facts. Production code
 * uses {@link #jocl()}; tests substitute failures a real machine cannot be made to show on demand.
 */
interface ClInventory {

    /** Every platform the ICD loader knows. */
    List<cl_platform_id> platforms();

    /** Every device of a platform; throws CLException CL_DEVICE_NOT_FOUND when it has none. */
    List<cl_device_id> devices(cl_platform_id platform);

    /** The facts about one device. */
    ClDevice describe(cl_platform_id platform, cl_device_id device);

    /** A display name for a platform, for reasons; never throws. */
    String platformName(cl_platform_id platform);

    /** The real OpenCL through JOCL, with JOCL's exceptions switched on. */
    static ClInventory jocl() {
        return new ClInventory() {
            @Override
            public List<cl_platform_id> platforms() {
                OpenClLibrary.load();
                CL.setExceptionsEnabled(true);
                int[] count = new int[1];
                clGetPlatformIDs(0, null, count);
                cl_platform_id[] platforms = new cl_platform_id[count[0]];
                clGetPlatformIDs(platforms.length, platforms, null);
                return Arrays.asList(platforms);
            }

            @Override
            public List<cl_device_id> devices(cl_platform_id platform) {
                int[] count = new int[1];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
                cl_device_id[] devices = new cl_device_id[count[0]];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
                return Arrays.asList(devices);
            }

            @Override
            public ClDevice describe(cl_platform_id platform, cl_device_id device) {
                return ClDevice.query(platform, device);
            }

            @Override
            public String platformName(cl_platform_id platform) {
                try {
                    return ClDevice.readPlatformName(platform);
                } catch (RuntimeException | LinkageError e) {
                    return "platform " + platform;
                }
            }
        };
    }
}
