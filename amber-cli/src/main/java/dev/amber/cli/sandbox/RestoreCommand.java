package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code amber sandbox restore}: rolls a sandbox back to one of its checkpoints, in place. */
@Command(name = "restore",
        description = "Roll a sandbox back to one of its checkpoints; it keeps its id and network.")
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Parameters(index = "1", paramLabel = "<checkpoint>", description = "The checkpoint's id.")
    String checkpointId;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            amber.sandboxes().get(id).restore(checkpointId);
        }
        return 0;
    }
}
