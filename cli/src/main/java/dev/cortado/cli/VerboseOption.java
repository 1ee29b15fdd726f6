package dev.cortado.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, accepted by every command: more detail, and stack traces of errors. */
final class VerboseOption {
    @Option(names = Main.VERBOSE, description = "More detail (checkpoint writes, device details) and the stack "
            + "trace of an error.")
    boolean verbose;
}
