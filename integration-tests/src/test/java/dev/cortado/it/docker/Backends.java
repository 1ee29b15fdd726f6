package dev.cortado.it.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.device.DeviceKind;
import dev.cortado.it.CortadoJar;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of backend shaded into the CLI jar. Every backend provider lists at least one device, available or
 * not, so the kinds in the host's {@code cortado devices --json} are the jar's backends. The GPU backends join the
 * jar as their modules are merged; the container tests check every backend the jar carries.
 */
final class Backends {
    private static Set<DeviceKind> kinds;

    private Backends() {
    }

    /** The device kinds the jar's backends report, probed once by running the jar on the host. */
    static synchronized Set<DeviceKind> inJar() {
        if (kinds == null) {
            CortadoJar.Result devices = CortadoJar.run("devices", "--json");
            if (devices.exitCode() != 0) {
                throw new IllegalStateException("cortado devices --json failed on the host:\n" + devices.output());
            }
            Set<DeviceKind> found = EnumSet.noneOf(DeviceKind.class);
            for (JsonNode device : parse(devices.stdout())) {
                found.add(DeviceKind.valueOf(device.path("kind").asText().toUpperCase(Locale.ROOT)));
            }
            kinds = found;
        }
        return kinds;
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cortado devices --json printed no JSON: " + json, e);
        }
    }
}
