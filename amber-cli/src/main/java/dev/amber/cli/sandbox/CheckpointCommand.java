package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Snapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code amber sandbox checkpoint}: saves a running sandbox's state and prints the checkpoint's id. */
@Command(name = "checkpoint",
        description = "Checkpoint a running sandbox, to restore it later, and print the checkpoint's id.")
final class CheckpointCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            Snapshot checkpoint = amber.sandboxes().get(id).checkpoint();
            spec.commandLine().getOut().println(checkpoint.id());
        }
        return 0;
    }
}
