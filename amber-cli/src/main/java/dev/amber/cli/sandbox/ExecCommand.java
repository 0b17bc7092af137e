package dev.amber.cli.sandbox;

import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.ExecResponse;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amber sandbox exec}: runs a command to completion and behaves like it locally: its stdout
 * and stderr on ours, its exit code as ours.
 */
@Command(name = "exec",
        description = "Run a command in a sandbox and exit with its exit code. Put the command after --.",
        customSynopsis = "amber sandbox exec [--user=USER] [--cwd=DIR] [--env=KEY=VALUE]... [--timeout=SEC] <id> -- <command> [<arg>...]")
final class ExecCommand implements Callable<Integer> {

    /** What timeout(1) exits with, so scripts can tell a timeout from the command's own failure. */
    static final int TIMED_OUT_EXIT_CODE = 124;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "<command>", description = "The program and its arguments (no shell).")
    List<String> command;

    @Option(names = "--user", paramLabel = "USER", description = "Run as this user.")
    String user;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory (absolute).")
    String cwd;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable; repeatable.")
    Map<String, String> env;

    @Option(names = "--timeout", paramLabel = "SEC", description = "Stop the command after this many seconds.")
    Integer timeoutSec;

    @Override
    public Integer call() {
        ExecRequest request = ExecRequest.builder().cmd(command).env(env).cwd(cwd).user(user).timeoutSec(timeoutSec)
                .build();
        ExecResponse response;
        try (Amber amber = connection.connect()) {
            response = amber.sandboxes().get(id).exec(request);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.print(response.stdout());
        out.flush();
        err.print(response.stderr());
        if (response.timedOut()) {
            err.println("amber: the command timed out after " + response.durationMs() / 1000 + "s and was stopped");
        }
        err.flush();
        return response.timedOut() ? TIMED_OUT_EXIT_CODE : response.exitCode();
    }
}
