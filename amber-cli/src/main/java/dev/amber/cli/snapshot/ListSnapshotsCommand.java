package dev.amber.cli.snapshot;

import dev.amber.api.snapshot.SnapshotView;
import dev.amber.cli.Cells;
import dev.amber.cli.ConnectionOptions;
import dev.amber.cli.Table;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Snapshot;
import dev.amber.sdk.SnapshotFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code amber snapshot ls}: the team's snapshots and checkpoints as a table. */
@Command(name = "ls", description = "List the team's snapshots and checkpoints.")
final class ListSnapshotsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--sandbox", paramLabel = "ID", description = "Only those taken of this sandbox.")
    String sandboxId;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind: snapshot or checkpoint.")
    String kind;

    @Override
    public Integer call() {
        Table table = new Table("ID", "NAME", "KIND", "STATE", "SANDBOX", "MEMORY", "SIZE", "CREATED");
        try (Amber amber = connection.connect()) {
            for (Snapshot snapshot : amber.snapshots().list(
                    new SnapshotFilter(Optional.ofNullable(sandboxId), Optional.ofNullable(kind)))) {
                SnapshotView view = snapshot.view();
                table.row(view.snapshotId(), Cells.text(view.name()), view.kind(), view.state(),
                        Cells.text(view.sandboxId()), view.memoryMb() + " MiB", Cells.bytes(view.sizeBytes()),
                        Cells.time(view.createdAt()));
            }
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
