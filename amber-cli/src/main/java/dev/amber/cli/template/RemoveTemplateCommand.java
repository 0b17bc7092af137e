package dev.amber.cli.template;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code amber template rm}: deletes a template no sandbox uses. */
@Command(name = "rm", description = "Delete a template that no sandbox uses.")
final class RemoveTemplateCommand implements Callable<Integer> {

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<name>")
    String name;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            amber.templates().delete(name);
        }
        return 0;
    }
}
