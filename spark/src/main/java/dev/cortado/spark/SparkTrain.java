package dev.cortado.spark;

import dev.cortado.cli.Main;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The main class of {@code cortado-spark.jar}:
 * {@code spark-submit --class dev.cortado.spark.SparkTrain cortado-spark.jar train --workers N ...} trains with the
 * options of {@code cortado train} on N Spark tasks. Without {@code spark-submit} (or {@code --master}) it runs on
 * {@code local[N]}.
 */
@Command(name = "cortado-spark", mixinStandardHelpOptions = true, versionProvider = SparkTrain.Version.class,
        description = "Cortado on Apache Spark: data-parallel training, one Spark task per worker.",
        subcommands = {SparkTrainCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n")
public final class SparkTrain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: train");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return Main.execute(new CommandLine(new SparkTrain()), args, out, err);
    }

    /** {@code --version}: Cortado's and Spark's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cortado-spark " + SparkTrain.class.getPackage().getImplementationVersion(),
                    "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
