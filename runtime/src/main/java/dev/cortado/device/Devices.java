package dev.cortado.device;

import dev.cortado.backend.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Discovers devices through every {@link BackendProvider} on the class path, picks the best one and opens
 * backends. Probing happens once per instance and never throws.
 *
 * <p>Selection order: an explicit request (the {@code --device} option), else the {@value #ENV_VARIABLE}
 * environment variable, else {@link #best()}: an available CUDA device, then an available OpenCL accelerator,
 * then the CPU. An OpenCL CPU device (such as PoCL) is used only when asked for by name.
 */
public final class Devices {
    /** The environment variable that chooses a device when no explicit request is made. */
    public static final String ENV_VARIABLE = "CORTADO_DEVICE";

    private static final Devices SYSTEM = new Devices(loadProviders());

    private final List<BackendProvider> providers;
    /** What each kind's providers reported, probed on first need. */
    private final Map<DeviceKind, List<DeviceInfo>> probed = new EnumMap<>(DeviceKind.class);

    /** Devices as seen by the given providers; tests pass fakes, applications use {@link #system()}. */
    public Devices(List<BackendProvider> providers) {
        this.providers = providers.stream().sorted(Comparator.comparing(BackendProvider::kind)).toList();
    }

    /** The devices of the backends found on the class path. */
    public static Devices system() {
        return SYSTEM;
    }

    /**
     * Opens the device that {@value #ENV_VARIABLE} names, else the best available one ({@link #best()}): the
     * front door's way to a backend, e.g. {@code try (Backend device = Devices.openBest()) { ... }}.
     *
     * @throws DeviceUnavailableException if {@value #ENV_VARIABLE} names a device that cannot be used
     */
    public static Backend openBest() {
        return SYSTEM.open(SYSTEM.select(null).info().device());
    }

    /**
     * Opens a device by name, e.g. {@code cpu}, {@code opencl:0} or {@code cuda:0}.
     *
     * @throws IllegalArgumentException if the name is not a device name
     * @throws DeviceUnavailableException if the device is unknown or cannot be used, with the reason
     */
    public static Backend open(String device) {
        return SYSTEM.open(Device.parse(device));
    }

    private static List<BackendProvider> loadProviders() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).stream().forEach(p -> {
            try {
                found.add(p.get());
            } catch (Throwable t) {
                // A provider whose class cannot even be loaded is left out; its module is broken, not the run.
                System.err.println("cortado: ignoring backend provider " + p.type().getName() + ": " + t);
            }
        });
        return found;
    }

    /** Every device every provider knows of, available or not, in kind order (CPU, OpenCL, CUDA). */
    public List<DeviceInfo> list() {
        List<DeviceInfo> all = new ArrayList<>();
        for (DeviceKind kind : DeviceKind.values()) {
            all.addAll(probe(kind));
        }
        return List.copyOf(all);
    }

    /**
     * The devices of one kind. A device asked for by name probes only its own kind's providers: probing loads
     * native libraries, and one of them (PoCL, through LLVM) replaces the JVM's SIGSEGV handler, which the JVM
     * needs for safepoints, so that a later safepoint can kill the process.
     */
    private synchronized List<DeviceInfo> probe(DeviceKind kind) {
        return probed.computeIfAbsent(kind, k -> providers.stream().filter(p -> p.kind() == k)
                .flatMap(p -> safeProbe(p).stream()).toList());
    }

    private static List<DeviceInfo> safeProbe(BackendProvider provider) {
        try {
            List<DeviceInfo> found = provider.probe();
            if (!found.isEmpty()) {
                return found;
            }
            return List.of(DeviceInfo.unavailable(new Device(provider.kind(), 0), provider.kind().prefix(),
                    "no " + provider.kind().prefix() + " device found"));
        } catch (Throwable t) {
            return List.of(DeviceInfo.unavailable(new Device(provider.kind(), 0), provider.kind().prefix(),
                    "probe failed: " + t));
        }
    }

    /** The best available device: CUDA, then an OpenCL accelerator, then the CPU. */
    public DeviceSelection best() {
        List<DeviceInfo> all = list();
        for (DeviceInfo info : all) {
            if (info.isAvailable() && info.device().kind() == DeviceKind.CUDA) {
                return new DeviceSelection(info, "best available device");
            }
        }
        for (DeviceInfo info : all) {
            if (info.isAvailable() && info.device().kind() == DeviceKind.OPENCL && info.accelerator()) {
                return new DeviceSelection(info, "best available device (no usable CUDA device)");
            }
        }
        DeviceInfo cpu = find(Device.CPU).filter(DeviceInfo::isAvailable).orElseThrow(
                () -> new DeviceUnavailableException("no device is available, not even the CPU fallback: "
                        + "put cortado-cpu on the class path"));
        return new DeviceSelection(cpu, "no GPU available (" + gpuReasons(all) + ")");
    }

    private static String gpuReasons(List<DeviceInfo> all) {
        String reasons = all.stream()
                .filter(i -> i.device().kind() != DeviceKind.CPU)
                .map(i -> i.device() + ": " + (i.isAvailable() ? "a CPU device, used only when asked for"
                        : i.reason()))
                .collect(Collectors.joining("; "));
        return reasons.isEmpty() ? "no GPU backend installed" : reasons;
    }

    /**
     * Chooses the device for a run: {@code requested} if not null or blank, else {@value #ENV_VARIABLE} from
     * {@code environment}, else {@link #best()}.
     *
     * @throws IllegalArgumentException if the requested string is not a device string
     * @throws DeviceUnavailableException if the requested device does not exist (the message lists those that
     *     do) or cannot be used (the message gives the reason)
     */
    public DeviceSelection select(String requested, Map<String, String> environment) {
        if (requested != null && !requested.isBlank()) {
            return require(requested, "requested with --device");
        }
        String fromEnv = environment.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return require(fromEnv, "from " + ENV_VARIABLE + "=" + fromEnv.trim());
        }
        return best();
    }

    /** {@link #select(String, Map)} with the process environment. */
    public DeviceSelection select(String requested) {
        return select(requested, System.getenv());
    }

    private DeviceSelection require(String text, String why) {
        return new DeviceSelection(available(Device.parse(text)), why);
    }

    /** The device's description if it exists and is available; otherwise the exception lists those that exist. */
    private DeviceInfo available(Device device) {
        DeviceInfo info = find(device).orElseThrow(() -> new DeviceUnavailableException(
                "no device " + device + "; devices here: " + list().stream()
                        .map(i -> i.device() + " (" + i.status() + ")")
                        .collect(Collectors.joining(", "))));
        if (!info.isAvailable()) {
            throw new DeviceUnavailableException("device " + device + " is unavailable: " + info.reason());
        }
        return info;
    }

    private java.util.Optional<DeviceInfo> find(Device device) {
        return probe(device.kind()).stream().filter(i -> i.device().equals(device)).findFirst();
    }

    /**
     * Opens a backend on an available device.
     *
     * @throws DeviceUnavailableException if the device is unknown, unavailable or fails to open
     */
    public Backend open(Device device) {
        available(device);
        for (BackendProvider provider : providers) {
            if (provider.kind() == device.kind()) {
                return provider.open(device);
            }
        }
        throw new DeviceUnavailableException("no backend provider for " + device);
    }
}
