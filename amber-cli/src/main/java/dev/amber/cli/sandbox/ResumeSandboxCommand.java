package dev.amber.cli.sandbox;

import dev.amber.sdk.Sandbox;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code amber sandbox resume}: brings a paused sandbox back, every process where it was. */
@Command(name = "resume", description = "Resume a paused sandbox: every process continues where it was.")
final class ResumeSandboxCommand extends OneSandboxCommand {

    @Override
    void run(Sandbox sandbox, PrintWriter out) {
        sandbox.resume();
    }
}
