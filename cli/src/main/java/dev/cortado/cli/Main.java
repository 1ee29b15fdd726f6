package dev.cortado.cli;

import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.data.DatasetException;
import dev.cortado.data.SampleReadException;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.model.ModelSpecException;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.NonFiniteLossException;
import dev.cortado.train.PreflightException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code cortado} command: a deep-learning runtime for the JVM, from the command line. */
@Command(name = "cortado", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Cortado: train and run neural networks on the JVM, on the CPU, OpenCL or CUDA devices.",
        subcommands = {DevicesCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class,
                       SelftestCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n")
public final class Main implements Runnable {
    static final String VERBOSE = "--verbose";
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        String commands = spec.subcommands().values().stream()
                .filter(c -> !(c.getCommand() instanceof CommandLine.HelpCommand))
                .map(CommandLine::getCommandName).distinct().collect(Collectors.joining(", "));
        throw new ParameterException(spec.commandLine(), "missing command: choose one of " + commands);
    }

    public static void main(String[] args) {
        // The curves plot is drawn off-screen; there may be no display (servers, containers).
        System.setProperty("java.awt.headless", "true");
        // What the runtime logs (System.Logger, through java.util.logging) is one line, like every other message.
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "cortado: %4$s: %5$s%n");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        StopSignal.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(new CommandLine(new Main()), args, out, err);
    }

    /**
     * Runs a command line of {@code cli}, any picocli command, as {@code cortado} runs its own: the exit codes
     * listed in its help, errors as one line on {@code err} ({@code --verbose} adds the stack trace).
     */
    public static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains(VERBOSE);
        cli.getCommandSpec().usageMessage().footer(Arrays.stream(ExitCode.values())
                .map(c -> String.format("  %3d  %s", c.code(), c.meaning()))
                .collect(Collectors.joining("%n")));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, command, parseResult) ->
                report(e, command.getCommandSpec().qualifiedName(), verbose, err));
        cli.setParameterExceptionHandler((e, args2) -> {
            CommandLine command = e.getCommandLine();
            err.println(command.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()) + " (see '"
                    + command.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return ExitCode.USAGE.code();
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands exceptions to the handler above and lets errors through.
            CommandLine.ParseResult parsed = cli.getParseResult();
            String command = parsed != null && parsed.hasSubcommand()
                    ? parsed.subcommand().commandSpec().qualifiedName() : "cortado";
            return report(e, command, verbose, err);
        }
    }

    /** Prints the one line of a failure (and with --verbose its stack trace) and returns its exit code. */
    private static int report(Throwable e, String command, boolean verbose, PrintWriter err) {
        ExitCode code = exitCodeOf(e);
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (code == ExitCode.INTERNAL) {
            message = "internal error: " + e + (verbose ? "" : " (rerun with --verbose for the stack trace)");
        } else if (code == ExitCode.OUT_OF_MEMORY && !(e instanceof CliException)) {
            message = outOfMemory(e);
        }
        err.println(command + ": " + oneLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code.code();
    }

    /** What ran out, and the fix: a smaller batch, and for the Java heap a larger heap. */
    static String outOfMemory(Throwable e) {
        OutOfDeviceMemoryException device = null;
        OutOfMemoryError heap = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfDeviceMemoryException d && device == null) {
                device = d;
            } else if (t instanceof OutOfMemoryError h && heap == null) {
                heap = h;
            }
        }
        if (device != null) {
            return device.getMessage() + ": " + (heap != null ? MemoryHint.heap() : MemoryHint.device());
        } else if (heap == null) {
            return e.getMessage();
        }
        return "out of memory: the Java heap (at most " + Format.bytes(Runtime.getRuntime().maxMemory())
                + ") is full (" + heap.getMessage() + "): " + MemoryHint.heap();
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    static ExitCode exitCodeOf(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError || t instanceof OutOfDeviceMemoryException) {
                return ExitCode.OUT_OF_MEMORY;
            }
        }
        if (e instanceof PreflightException p) {
            return switch (p.problem()) {
                case DATA -> ExitCode.DATA;
                case MODEL -> ExitCode.MODEL;
                case MEMORY -> ExitCode.OUT_OF_MEMORY;
            };
        } else if (e instanceof DatasetException) {
            return ExitCode.DATA;
        } else if (e instanceof DeviceUnavailableException) {
            return ExitCode.DEVICE;
        } else if (e instanceof SampleReadException) {
            return ExitCode.DATA;
        } else if (e instanceof ModelSpecException) {
            return ExitCode.MODEL;
        } else if (e instanceof CheckpointException) {
            return ExitCode.CHECKPOINT;
        } else if (e instanceof NonFiniteLossException) {
            return ExitCode.DIVERGED;
        } else if (e instanceof IllegalArgumentException) {
            return ExitCode.USAGE;
        }
        return ExitCode.INTERNAL;
    }

    /** {@code cortado --version}: the build's version and the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cortado " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"};
        }
    }

    /** The version Maven wrote into the jar. */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
