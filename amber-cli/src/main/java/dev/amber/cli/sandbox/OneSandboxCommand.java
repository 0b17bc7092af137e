package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that does one thing to one sandbox, named by its id as the first argument. */
abstract class OneSandboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    /** Does it; {@code out} is where results are printed. */
    abstract void run(Sandbox sandbox, PrintWriter out);

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            run(amber.sandboxes().get(id), spec.commandLine().getOut());
        }
        return 0;
    }
}
