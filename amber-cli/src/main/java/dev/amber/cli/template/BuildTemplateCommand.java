package dev.amber.cli.template;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.template.BuildView;
import dev.amber.api.template.CreateTemplateRequest;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code amber template build}: queues a build of a recipe file; with --wait, prints its log as it runs. */
@Command(name = "build", description = "Build a template from a recipe (JSON, as POST /v1/templates takes it) and "
        + "print the build's id; with --wait, print its log as it runs and fail if the build does.")
final class BuildTemplateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<recipe.json>", description = "The recipe: name, from, steps, readyCmd, ...")
    Path recipe;

    @Option(names = "--wait", description = "Follow the build to its end, printing its log.")
    boolean waitForIt;

    @Override
    public Integer call() throws IOException {
        CreateTemplateRequest request = JSON.readValue(recipe.toFile(), CreateTemplateRequest.class);
        PrintWriter out = spec.commandLine().getOut();
        try (Amber amber = connection.connect()) {
            Build build = amber.templates().build(request);
            if (!waitForIt) {
                out.println(build.id());
                return 0;
            }
            BuildView ended = BuildLogsCommand.follow(build, out);
            if (!ended.status().equals("succeeded")) {
                spec.commandLine().getErr().println("amber: build " + build.id() + " " + ended.status()
                        + (ended.error() == null ? "" : ": " + ended.error()));
                return 1;
            }
            return 0;
        }
    }
}
