package dev.cortado.cli;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cortado selftest}: every op of a device against the CPU fallback, to tell a broken driver from a model. */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = {"Runs every backend op on the device and on the CPU fallback with the same random inputs and "
                + "prints a pass/fail row per op with the worst relative error (max|x - ref| / max|ref|).",
                "Exits 9 when any op fails, so a broken driver can be told from a broken model."})
final class SelftestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DeviceOption.Opened opened = device.open(Devices.system());
        List<SelfTest.Row> rows;
        try (Backend tested = opened.backend(); Backend reference = Devices.system().open(Device.CPU)) {
            out.println("device: " + opened.describe());
            out.println("reference: the CPU fallback" + (opened.selection().device().equals(Device.CPU)
                    ? " (the device itself: this checks that every op runs and is repeatable)" : ""));
            out.println();
            out.flush();
            rows = SelfTest.run(tested, reference);
        }
        out.print(table(rows));
        long failed = rows.stream().filter(r -> !r.passed()).count();
        out.println();
        out.println("selftest: " + (rows.size() - failed) + " of " + rows.size() + " ops passed"
                + (failed == 0 ? "" : ", " + failed + " FAILED"));
        out.flush();
        return failed == 0 ? ExitCode.OK.code() : ExitCode.SELFTEST.code();
    }

    static String table(List<SelfTest.Row> rows) {
        TextTable table = new TextTable("op", "result", ">worst rel. error", ">tolerance");
        for (SelfTest.Row row : rows) {
            table.add(row.name(), row.passed() ? "pass" : "FAIL",
                    row.failure() != null ? "error: " + row.failure() : Format.error(row.error()),
                    Format.error(row.tolerance()));
        }
        return table.render();
    }
}
