package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code amber sandbox pause}: saves a sandbox and stops its VM until it is resumed. */
@Command(name = "pause", description = "Pause a sandbox: its memory and disk are saved and its VM stops until resumed.")
final class PauseSandboxCommand extends OneSandboxCommand {

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        sandbox.pause();
    }
}
