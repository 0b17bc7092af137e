package dev.amber.cli.snapshot;

import dev.amber.api.snapshot.PatchView;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code amber snapshot patch}: adds a patch to a snapshot and prints its sequence number. */
@Command(name = "patch", description = "Add a patch (a shell script) that sandboxes based on the snapshot run when "
        + "they next wake; prints its sequence number.")
final class PatchSnapshotCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id|name>")
    String idOrName;

    @Parameters(index = "1", paramLabel = "<script>", description = "Shell script, run as root with sh -c.")
    String script;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            PatchView patch = amber.snapshots().get(idOrName).addPatch(script);
            spec.commandLine().getOut().println(patch.sequence());
        }
        return 0;
    }
}
