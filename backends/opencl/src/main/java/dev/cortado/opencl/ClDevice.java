package dev.cortado.opencl;

import static org.jocl.CL.CL_DEVICE_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_COMPILER_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_ITEM_SIZES;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformInfo;

import dev.cortado.kernel.KernelDeviceFacts;
import dev.cortado.kernel.NativeStrings;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The facts about one OpenCL device that the backend needs, read once when probing.
 *
 * @param maxWorkItemSizes the largest local size per dimension (3 entries)
 */
record ClDevice(cl_platform_id platform, cl_device_id id, String name, String vendor, String platformName,
                String driverVersion, String openClCVersion, long type, long globalMemBytes,
                long maxAllocBytes, long localMemBytes, long maxWorkGroupSize, long[] maxWorkItemSizes,
                int computeUnits, boolean compilerAvailable, boolean available) {

    /** GPUs and accelerators; a CPU device such as PoCL's is not. */
    boolean isAccelerator() {
        return (type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0;
    }

    boolean isGpu() {
        return (type & CL_DEVICE_TYPE_GPU) != 0;
    }

    /** The limits tiles are chosen by; the vendor includes the platform's name, which some drivers name better. */
    KernelDeviceFacts facts() {
        KernelDeviceFacts.Type kind = isGpu() ? KernelDeviceFacts.Type.GPU
                : isAccelerator() ? KernelDeviceFacts.Type.ACCELERATOR : KernelDeviceFacts.Type.CPU;
        return new KernelDeviceFacts(kind, vendor + " " + platformName, maxWorkGroupSize, maxWorkItemSizes,
                localMemBytes);
    }

    /** Reads every field through JOCL; throws whatever the driver throws. */
    static ClDevice query(cl_platform_id platform, cl_device_id device) {
        long[] itemSizes = new long[3];
        clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, Sizeof.size_t * 3L, Pointer.to(itemSizes), null);
        return new ClDevice(platform, device,
                deviceString(device, CL_DEVICE_NAME),
                deviceString(device, CL_DEVICE_VENDOR),
                readPlatformName(platform),
                deviceString(device, CL_DRIVER_VERSION),
                deviceString(device, CL_DEVICE_OPENCL_C_VERSION),
                deviceLong(device, CL_DEVICE_TYPE),
                deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                deviceLong(device, CL_DEVICE_LOCAL_MEM_SIZE),
                deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                itemSizes,
                deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceInt(device, CL_DEVICE_COMPILER_AVAILABLE) != 0,
                deviceInt(device, CL_DEVICE_AVAILABLE) != 0);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null);
        return NativeStrings.cString(bytes);
    }

    /** The platform's CL_PLATFORM_NAME. */
    static String readPlatformName(cl_platform_id platform) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, CL_PLATFORM_NAME, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetPlatformInfo(platform, CL_PLATFORM_NAME, bytes.length, Pointer.to(bytes), null);
        return NativeStrings.cString(bytes);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    private static long deviceSize(cl_device_id device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null);
        return value[0];
    }

    private static int deviceInt(cl_device_id device, int param) {
        int[] value = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null);
        return value[0];
    }
}
