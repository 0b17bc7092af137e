package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code amber sandbox resume}: starts a paused sandbox where it left off. */
@Command(name = "resume", description = "Resume a paused sandbox where it left off.")
final class ResumeSandboxCommand implements Callable<Integer> {

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Override
    public Integer call() {
        try (Amber amber = connection.connect()) {
            amber.sandboxes().get(id).resume();
        }
        return 0;
    }
}
