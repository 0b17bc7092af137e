package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code amber sandbox restore}: rolls a sandbox back to one of its checkpoints, in place. */
@Command(name = "restore",
        description = "Roll a sandbox back to one of its checkpoints; it keeps its id and network.")
final class RestoreCommand extends OneSandboxCommand {

    @Parameters(index = "1", paramLabel = "<checkpoint>", description = "The checkpoint's id.")
    String checkpointId;

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        sandbox.restore(checkpointId);
    }
}
