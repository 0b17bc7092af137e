package dev.amber.server.template;

import dev.amber.api.sandbox.ExecResponse;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostFiles;
import dev.amber.server.host.HostException;
import dev.amber.server.host.ProcessStream;
import dev.amber.server.sandbox.SandboxService;

import java.io.ByteArrayInputStream;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Runs a build's steps in its builder sandbox, and waits for its readyCmd; output goes to the build's log. */
final class StepRunner {

    static final int STEP_TIMEOUT_SEC = 3600;
    private static final int READY_PROBE_TIMEOUT_SEC = 10;

    private final BuildRepository builds;
    private final SandboxService sandboxes;

    StepRunner(BuildRepository builds, SandboxService sandboxes) {
        this.builds = requireNonNull(builds, "builds");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
    }

    /** Runs step {@code index} of build {@code buildId} in sandbox {@code builder}; a failed run stops the build. */
    void run(Caller caller, String builder, RecipeStep step, StepContext context, UUID buildId, int index)
            throws HostException, BuildStopped {
        switch (step) {
            case RecipeStep.Run run -> {
                ProcessStream.Exit exit;
                try (StepOutput output = new StepOutput(builds, buildId, index)) {
                    exit = sandboxes.run(caller, builder, context.exec(run.cmd(), STEP_TIMEOUT_SEC), output::accept);
                }
                if (exit.timedOut() || exit.exitCode() != 0) {
                    throw new BuildStopped("step " + index + " (run) " + (exit.timedOut() ? "timed out after "
                            + STEP_TIMEOUT_SEC + " s" : "exited with " + exit.exitCode()), false);
                }
            }
            case RecipeStep.Copy copy -> {
                byte[] content = copy.content();
                HostFiles host = sandboxes.running(caller, builder).files();
                String parent = copy.path().substring(0, Math.max(1, copy.path().lastIndexOf('/')));
                host.mkdir(builder, parent, 0755);
                host.upload(builder, copy.path(), copy.mode().orElse(RecipeStep.Copy.DEFAULT_MODE),
                        new ByteArrayInputStream(content));
                builds.log(buildId, index, "system", "copied " + content.length + " bytes to " + copy.path() + "\n");
            }
            case RecipeStep.Workdir workdir -> {
                sandboxes.running(caller, builder).files().mkdir(builder, workdir.path(), 0755);
                context.apply(workdir);
            }
            case RecipeStep.Env env -> context.apply(env);
            case RecipeStep.User user -> context.apply(user);
        }
    }

    /** Polls readyCmd until it succeeds; a build without one is ready at once. */
    void awaitReady(Caller caller, String builder, Recipe recipe, StepContext context, UUID buildId, int index)
            throws HostException, BuildStopped {
        if (recipe.readyCmd() == null) {
            return;
        }
        long deadline = System.nanoTime() + recipe.readyTimeoutSec() * 1_000_000_000L;
        ExecResponse last;
        do {
            last = sandboxes.exec(caller, builder, context.exec(recipe.readyCmd(), READY_PROBE_TIMEOUT_SEC));
            if (!last.timedOut() && last.exitCode() == 0) {
                logOutput(buildId, index, last);
                return;
            }
            BuildStopped.pause("readyCmd");
        } while (System.nanoTime() < deadline);
        logOutput(buildId, index, last);
        throw new BuildStopped("readyCmd did not succeed within " + recipe.readyTimeoutSec() + " s (last exit "
                + (last.timedOut() ? "timed out" : Integer.toString(last.exitCode())) + ")", false);
    }

    /** Flushes the builder's writes to its disk before its final layer is taken. */
    void sync(Caller caller, String builder, StepContext context) throws HostException {
        sandboxes.exec(caller, builder, context.exec("sync", STEP_TIMEOUT_SEC));
    }

    private void logOutput(UUID buildId, int index, ExecResponse result) {
        if (!result.stdout().isEmpty()) {
            builds.log(buildId, index, "stdout", result.stdout());
        }
        if (!result.stderr().isEmpty()) {
            builds.log(buildId, index, "stderr", result.stderr());
        }
    }
}
