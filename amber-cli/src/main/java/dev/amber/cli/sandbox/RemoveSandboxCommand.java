package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code amber sandbox rm}: destroys a sandbox. */
@Command(name = "rm", description = "Destroy a sandbox: its VM, memory and disk are freed.")
final class RemoveSandboxCommand extends OneSandboxCommand {

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        sandbox.kill();
    }
}
