package dev.amber.cli.template;

import dev.amber.api.template.BuildLogLine;
import dev.amber.api.template.BuildView;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code amber template logs}: a build's log, optionally followed to the build's end. */
@Command(name = "logs", description = "Print a build's log; with -f, follow it until the build ends.")
final class BuildLogsCommand implements Callable<Integer> {

    private static final long POLL_MILLIS = 500;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<build-id>")
    String buildId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing until the build ends.")
    boolean follow;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Amber amber = connection.connect()) {
            Build build = amber.templates().buildOf(buildId);
            if (follow) {
                follow(build, out);
            } else {
                build.logs(0).forEach(line -> print(line, out));
            }
        }
        return 0;
    }

    /** Prints the build's log as it grows, until the build ends; returns how it ended. */
    static BuildView follow(Build build, PrintWriter out) {
        long seq = 0;
        while (true) {
            boolean ended = build.ended();
            for (BuildLogLine line : build.logs(seq)) {
                print(line, out);
                seq = line.seq();
            }
            out.flush();
            if (ended) {
                return build.view();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return build.view();
            }
            build.refresh();
        }
    }

    private static void print(BuildLogLine line, PrintWriter out) {
        String prefix = line.stream().equals("system") ? "# " : "";
        out.print(prefix + line.text() + (line.text().endsWith("\n") ? "" : "\n"));
    }
}
