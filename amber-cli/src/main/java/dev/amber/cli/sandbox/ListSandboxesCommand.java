package dev.amber.cli.sandbox;

import dev.amber.api.sandbox.SandboxView;
import dev.amber.cli.Cells;
import dev.amber.cli.ConnectionOptions;
import dev.amber.cli.Table;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code amber sandbox ls}: the team's sandboxes as a table. */
@Command(name = "ls", description = "List the team's sandboxes.")
final class ListSandboxesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        Table table = new Table("ID", "STATE", "VCPUS", "MEMORY", "CREATED");
        try (Amber amber = connection.connect()) {
            for (Sandbox sandbox : amber.sandboxes().list()) {
                SandboxView view = sandbox.view();
                table.row(view.id(), view.state(), Integer.toString(view.vcpus()), view.memoryMb() + " MiB",
                        Cells.time(view.createdAt()));
            }
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
