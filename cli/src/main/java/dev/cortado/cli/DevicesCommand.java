package dev.cortado.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.device.Devices;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortado devices}: every device of every installed backend, usable or not, and why not. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Lists every device of every installed backend: name, kind, memory, compute units, and "
                + "'available' or 'unavailable: <reason>', with details such as the GEMM kernel in use.",
                "Exits 0 whatever it finds, even when only the CPU is available."})
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<DeviceInfo> devices = Devices.system().list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(devices)));
        } else {
            out.print(table(devices));
        }
        out.flush();
        return ExitCode.OK.code();
    }

    static String table(List<DeviceInfo> devices) {
        TextTable table = new TextTable("DEVICE", "NAME", "KIND", ">MEMORY", ">UNITS", "STATUS");
        for (DeviceInfo info : devices) {
            table.add(info.device(), info.name(), kind(info), Format.bytes(info.memoryBytes()),
                    info.computeUnits() > 0 ? info.computeUnits() : "-", info.status());
        }
        StringBuilder text = new StringBuilder(table.render());
        for (DeviceInfo info : devices) {
            if (!info.details().isEmpty()) {
                text.append('\n').append(info.device()).append(":\n");
            }
            for (Map.Entry<String, String> detail : info.details().entrySet()) {
                text.append("  ").append(detail.getKey()).append(": ").append(detail.getValue()).append('\n');
            }
        }
        return text.toString();
    }

    private static String kind(DeviceInfo info) {
        String family = info.device().kind().prefix();
        if (!info.isAvailable() || info.device().kind() == DeviceKind.CPU) {
            return family;
        }
        return family + (info.accelerator() ? " gpu" : " cpu");
    }

    static ArrayNode toJson(List<DeviceInfo> devices) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (DeviceInfo info : devices) {
            ObjectNode node = array.addObject();
            node.put("device", info.device().toString());
            node.put("kind", info.device().kind().prefix());
            node.put("name", info.name());
            node.put("accelerator", info.accelerator());
            node.put("memory_bytes", info.memoryBytes());
            node.put("compute_units", info.computeUnits());
            node.put("available", info.isAvailable());
            if (info.reason() != null) {
                node.put("reason", info.reason());
            }
            ObjectNode details = node.putObject("details");
            info.details().forEach(details::put);
        }
        return array;
    }
}
