package dev.amber.cli.snapshot;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code amber snapshot rm}: deletes a snapshot or checkpoint. */
@Command(name = "rm", description = "Delete a snapshot or checkpoint and its saved state.")
final class RemoveSnapshotCommand implements Callable<Integer> {

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id|name>", description = "The snapshot's id or name, or a checkpoint's id.")
    String idOrName;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            amber.snapshots().delete(idOrName);
        }
        return 0;
    }
}
