package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code amber sandbox checkpoint}: saves a running sandbox's state and prints the checkpoint's id. */
@Command(name = "checkpoint",
        description = "Checkpoint a running sandbox, to restore it later, and print the checkpoint's id.")
final class CheckpointCommand extends OneSandboxCommand {

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        out.println(sandbox.checkpoint().id());
    }
}
