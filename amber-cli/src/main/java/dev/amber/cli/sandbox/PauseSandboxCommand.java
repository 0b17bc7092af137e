package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code amber sandbox pause}: saves a sandbox and stops its VM until it is resumed. */
@Command(name = "pause", description = "Pause a sandbox: its memory and disk are saved and its VM stops until resumed.")
final class PauseSandboxCommand implements Callable<Integer> {

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            amber.sandboxes().get(id).pause();
        }
        return 0;
    }
}
