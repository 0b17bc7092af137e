package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code amber sandbox rm}: destroys a sandbox. */
@Command(name = "rm", description = "Destroy a sandbox: its VM, memory and disk are freed.")
final class RemoveSandboxCommand implements Callable<Integer> {

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            amber.sandboxes().get(id).kill();
        }
        return 0;
    }
}
