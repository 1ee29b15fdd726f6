package dev.cortado.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code cortado-spark} run in the test's JVM, with what it printed. */
record SparkRun(int exitCode, String out, String err) {

    static SparkRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkTrain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        SparkRun run = new SparkRun(code, out.toString(), err.toString());
        System.out.println("cortado-spark " + String.join(" ", args) + "\n" + run.out + run.err + "exit " + code);
        return run;
    }

    /** {@code base} followed by {@code more}. */
    static String[] args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }
}
