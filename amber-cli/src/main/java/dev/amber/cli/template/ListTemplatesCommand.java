package dev.amber.cli.template;

import dev.amber.api.template.TemplateView;
import dev.amber.cli.Cells;
import dev.amber.cli.ConnectionOptions;
import dev.amber.cli.Table;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code amber template ls}: the templates the team can use, as a table. */
@Command(name = "ls", description = "List the templates the team can use (its own and the platform's).")
final class ListTemplatesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        Table table = new Table("NAME", "KIND", "STATE", "PLATFORM", "VCPUS", "MEMORY", "LAST BUILD", "CREATED");
        try (Amber amber = connection.connect()) {
            for (TemplateView template : amber.templates().list()) {
                table.row(template.name(), template.kind(), template.state(), template.platform() ? "yes" : "no",
                        Integer.toString(template.vcpus()), template.memoryMb() + " MiB", Cells.text(template.buildId()),
                        Cells.time(template.createdAt()));
            }
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
