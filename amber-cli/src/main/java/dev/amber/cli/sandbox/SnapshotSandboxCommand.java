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

/** {@code amber sandbox snapshot}: saves a running sandbox as a named snapshot and prints its id. */
@Command(name = "snapshot",
        description = "Save a running sandbox as a named snapshot, to start new sandboxes from, and print its id.")
final class SnapshotSandboxCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Parameters(index = "1", paramLabel = "<name>", description = "The snapshot's name, unique within the team.")
    String name;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            Snapshot snapshot = amber.sandboxes().get(id).snapshot(name);
            spec.commandLine().getOut().println(snapshot.id());
        }
        return 0;
    }
}
