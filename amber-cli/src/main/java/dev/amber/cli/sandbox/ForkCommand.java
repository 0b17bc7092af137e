package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code amber sandbox fork}: copies a running sandbox and prints the copies' ids, one a line. */
@Command(name = "fork",
        description = "Copy a running sandbox, memory included, and print the new sandboxes' ids, one a line.")
final class ForkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox to copy.")
    String id;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1",
            description = "How many copies (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
        }
        List<Sandbox> copies;
        try (Amber amber = connection.connect()) {
            copies = amber.sandboxes().get(id).fork(count);
        }
        PrintWriter out = spec.commandLine().getOut();
        copies.forEach(copy -> out.println(copy.id()));
        return 0;
    }
}
