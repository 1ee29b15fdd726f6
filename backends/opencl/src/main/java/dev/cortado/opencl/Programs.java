package dev.cortado.opencl;

import static org.jocl.CL.CL_BUILD_PROGRAM_FAILURE;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithBinary;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clGetProgramInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import dev.cortado.kernel.KernelBuildException;
import dev.cortado.kernel.KernelSources;
import dev.cortado.kernel.KernelVariant;
import dev.cortado.kernel.ProgramCache;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * The programs and kernels of one backend: each kernel file is built once per set of options, on first use,
 * from the disk cache when it has the binary and from source otherwise. Not thread-safe: the backend calls it
 * under its own lock.
 */
final class Programs implements AutoCloseable {

    /** A built kernel and the largest work-group it can run with on this device. */
    record Kernel(cl_kernel handle, String name, long maxWorkGroupSize) implements dev.cortado.kernel.Kernel {
    }

    private record ProgramKey(String file, String options) {
    }

    private record KernelKey(ProgramKey program, String name) {
    }

    private final cl_context context;
    private final ClDevice device;
    private final ProgramCache cache;
    private final ClObjects objects;
    private final Map<ProgramKey, cl_program> programs = new LinkedHashMap<>();
    private final Map<KernelKey, Kernel> kernels = new LinkedHashMap<>();

    Programs(cl_context context, ClDevice device, ProgramCache cache, ClObjects objects) {
        this.context = context;
        this.device = device;
        this.cache = cache;
        this.objects = objects;
    }

    /** Kernel {@code name} of {@code file} built with {@code options} (-D defines). */
    Kernel kernel(String file, String options, String name) {
        KernelKey key = new KernelKey(new ProgramKey(file, options), name);
        Kernel kernel = kernels.get(key);
        if (kernel == null) {
            cl_kernel handle = clCreateKernel(program(file, options), name, null);
            objects.created(ClObjects.Kind.KERNEL);
            long[] size = new long[1];
            clGetKernelWorkGroupInfo(handle, device.id(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(size), null);
            kernel = new Kernel(handle, name, size[0]);
            kernels.put(key, kernel);
        }
        return kernel;
    }

    /** The builds made so far, in order, for tests. */
    List<KernelVariant> built() {
        return programs.keySet().stream().map(k -> new KernelVariant(k.file(), k.options())).toList();
    }

    /** The program of {@code file} built with {@code options}, built now if it was not yet. */
    cl_program program(String file, String options) {
        ProgramKey key = new ProgramKey(file, options);
        cl_program program = programs.get(key);
        if (program == null) {
            program = build(file, options);
            programs.put(key, program);
        }
        return program;
    }

    private cl_program build(String file, String options) {
        String source = KernelSources.get(file);
        String key = ProgramCache.key(source, options, device.name(), device.driverVersion());
        Optional<byte[]> cached = cache.load(key);
        if (cached.isPresent()) {
            cl_program fromBinary = buildFromBinary(cached.get(), options);
            if (fromBinary != null) {
                return fromBinary;
            }
        }
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        objects.created(ClObjects.Kind.PROGRAM);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.id()}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            release(program);
            throw new KernelBuildException("cannot build " + KernelSources.PACKAGE + file + " for " + device.name()
                    + " (driver " + device.driverVersion() + ") with options [" + options + "]: "
                    + (e.getStatus() == CL_BUILD_PROGRAM_FAILURE ? "" : e.getMessage() + "; ")
                    + "build log:\n" + log, e);
        }
        cache.store(key, binary(program));
        return program;
    }

    /** A program from a cached binary, or null when the driver rejects it (the caller rebuilds from source). */
    private cl_program buildFromBinary(byte[] binary, String options) {
        cl_program program;
        try {
            program = clCreateProgramWithBinary(context, 1, new cl_device_id[] {device.id()},
                    new long[] {binary.length}, new byte[][] {binary}, new int[1], null);
        } catch (CLException e) {
            return null;
        }
        objects.created(ClObjects.Kind.PROGRAM);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.id()}, options, null, null);
            return program;
        } catch (CLException e) {
            release(program);
            return null;
        }
    }

    private byte[] binary(cl_program program) {
        long[] size = new long[1];
        clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
        byte[] binary = new byte[Math.toIntExact(size[0])];
        clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
        return binary;
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            return new String(log, StandardCharsets.UTF_8).replace("\0", "").trim();
        } catch (CLException e) {
            return "(the driver gave no build log: " + e.getMessage() + ")";
        }
    }

    private void release(cl_program program) {
        clReleaseProgram(program);
        objects.released(ClObjects.Kind.PROGRAM);
    }

    /** Releases every kernel and program built so far. */
    @Override
    public void close() {
        for (Kernel kernel : kernels.values()) {
            clReleaseKernel(kernel.handle());
            objects.released(ClObjects.Kind.KERNEL);
        }
        kernels.clear();
        for (cl_program program : programs.values()) {
            release(program);
        }
        programs.clear();
    }
}
