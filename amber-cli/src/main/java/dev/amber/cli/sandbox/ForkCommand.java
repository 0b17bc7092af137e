package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/** {@code amber sandbox fork}: copies a running sandbox and prints the copies' ids, one a line. */
@Command(name = "fork",
        description = "Copy a running sandbox, memory included, and print the new sandboxes' ids, one a line.")
final class ForkCommand extends OneSandboxCommand {

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1",
            description = "How many copies (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
        }
        return super.call();
    }

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        sandbox.fork(count).forEach(copy -> out.println(copy.id()));
    }
}
