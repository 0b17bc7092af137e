package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code amber sandbox snapshot}: saves a running sandbox as a named snapshot and prints its id. */
@Command(name = "snapshot",
        description = "Save a running sandbox as a named snapshot, to start new sandboxes from, and print its id.")
final class SnapshotSandboxCommand extends OneSandboxCommand {

    @Parameters(index = "1", paramLabel = "<name>", description = "The snapshot's name, unique within the team.")
    String name;

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        out.println(sandbox.snapshot(name).id());
    }
}
