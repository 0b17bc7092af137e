package dev.amber.cli.snapshot;

import picocli.CommandLine.Command;

/** {@code amber snapshot}: only a group; its subcommands do the work. */
@Command(name = "snapshot",
        description = "List, remove and patch snapshots and checkpoints; take them with "
                + "'amber sandbox snapshot|checkpoint'.",
        subcommands = {
                ListSnapshotsCommand.class,
                RemoveSnapshotCommand.class,
                PatchSnapshotCommand.class,
        })
public final class SnapshotCommand {
}
