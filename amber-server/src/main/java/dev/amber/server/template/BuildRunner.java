package dev.amber.server.template;

import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.ExecResponse;
import dev.amber.api.template.BuildStepView;
import dev.amber.api.template.TemplateStep;
import dev.amber.server.Ids;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostFiles;
import dev.amber.server.host.ProcessStream;
import dev.amber.server.sandbox.SandboxService;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.server.snapshot.SnapshotService;
import dev.amber.server.template.BuildRecord.StepStatus;
import dev.amber.server.template.TemplateRepository.Template;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Runs one build: starts a builder sandbox from the deepest cached layer of the recipe (or from the
 * {@code from} template), runs the remaining steps, snapshotting a layer after each step that
 * changes the machine, waits for {@code readyCmd}, and takes the final layer, which the template
 * then starts sandboxes from. Every step's outcome and output goes to the build's log as it ends.
 */
final class BuildRunner {

    private static final System.Logger LOG = System.getLogger("amber.build");
    private static final int STEP_TIMEOUT_SEC = 3600;
    private static final int READY_PROBE_TIMEOUT_SEC = 10;
    private static final long POLL_INTERVAL_MS = 500;
    /** How long a build waits for the host it needs (after a restart, hosts register again within seconds). */
    private static final Duration HOST_WAIT = Duration.ofMinutes(2);

    /** Why a build stops before its end: a step failed, or someone cancelled it. */
    static final class BuildStopped extends Exception {
        final boolean cancelled;

        BuildStopped(String message, boolean cancelled) {
            super(message);
            this.cancelled = cancelled;
        }
    }

    private final BuildRepository builds;
    private final TemplateRepository templates;
    private final LayerCache layers;
    private final SandboxService sandboxes;
    private final SnapshotService snapshots;
    private final SnapshotRepository snapshotRecords;
    private final HostDirectory hosts;
    private final ImageRelease images;

    BuildRunner(BuildRepository builds, TemplateRepository templates, LayerCache layers, SandboxService sandboxes,
                SnapshotService snapshots, SnapshotRepository snapshotRecords, HostDirectory hosts, ImageRelease images) {
        this.hosts = requireNonNull(hosts, "hosts");
        this.images = requireNonNull(images, "images");
        this.builds = requireNonNull(builds, "builds");
        this.templates = requireNonNull(templates, "templates");
        this.layers = requireNonNull(layers, "layers");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.snapshotRecords = requireNonNull(snapshotRecords, "snapshotRecords");
    }

    /** The platform's builds run as an admin of the platform team, a team's as that team. */
    static Caller callerOf(UUID teamId) {
        return new Caller(teamId, null, Ids.PLATFORM_TEAM.equals(teamId));
    }

    /** Runs a claimed build to its end and records how it ended. */
    void run(BuildRecord build) {
        Progress progress = new Progress(build);
        Caller caller = callerOf(build.teamId());
        String builder = null;
        try {
            Recipe recipe = build.recipe();
            if (recipe.imageUri() != null) {
                importImage(build, recipe, progress);
                return;
            }
            Template from = templates.findVisible(build.teamId(), recipe.from())
                    .orElseThrow(() -> new BuildStopped("template \"" + recipe.from() + "\" is gone", false));
            List<String> keys = layers.keys(from.id() + "@" + (from.snapshotId() != null ? from.snapshotId()
                    : from.imageId()), recipe);
            int last = recipe.steps().size();
            Optional<UUID> finished = layers.find(build.teamId(), keys.get(last));
            if (finished.isPresent()) {
                progress.cachedUpTo(last);
                succeed(build, recipe, finished.get(), progress);
                return;
            }
            int cachedUpTo = -1;
            UUID start = from.snapshotId();
            for (int i = last - 1; i >= 0; i--) {
                Optional<UUID> layer = recipe.changesMachine(i) ? layers.find(build.teamId(), keys.get(i)) : Optional.empty();
                if (layer.isPresent()) {
                    cachedUpTo = i;
                    start = layer.get();
                    break;
                }
            }
            progress.cachedUpTo(cachedUpTo);
            StepContext context = new StepContext();
            for (int i = 0; i <= cachedUpTo; i++) {
                context.apply(recipe.steps().get(i));
            }
            awaitHost(build, start);
            removeBuilder(build, caller);
            builder = startBuilder(caller, build, recipe, from, start);
            UUID layer = start;
            for (int i = cachedUpTo + 1; i < last; i++) {
                checkCancel(build);
                progress.running(i);
                runStep(caller, builder, recipe.steps().get(i), context, build.id(), i);
                if (recipe.changesMachine(i)) {
                    layer = snapshots.layer(caller, builder).id();
                    layers.put(build.teamId(), keys.get(i), layer);
                }
                progress.done(i);
            }
            checkCancel(build);
            progress.running(last);
            awaitReady(caller, builder, recipe, context, build.id(), last);
            sandboxes.exec(caller, builder, context.exec("sync", STEP_TIMEOUT_SEC));
            layer = snapshots.layer(caller, builder).id();
            layers.put(build.teamId(), keys.get(last), layer);
            progress.done(last);
            succeed(build, recipe, layer, progress);
        } catch (BuildStopped e) {
            stop(build, progress, e.getMessage(), e.cancelled);
        } catch (HostException | RuntimeException e) {
            stop(build, progress, e.getMessage(), false);
        } finally {
            if (builder != null) {
                deleteBuilder(caller, builder);
            }
        }
    }

    /** Waits until the host of snapshot {@code start} (or, to boot, any host) is connected. */
    private void awaitHost(BuildRecord build, UUID start) throws BuildStopped {
        Optional<UUID> needed = start == null ? Optional.empty()
                : snapshotRecords.findVisible(build.teamId(), start).map(SnapshotRecord::hostId);
        long deadline = System.nanoTime() + HOST_WAIT.toNanos();
        while (needed.map(host -> hosts.client(host).isEmpty()).orElseGet(() -> hosts.connected().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new BuildStopped("no host to build on connected within " + HOST_WAIT.toMinutes() + " minutes"
                        + needed.map(host -> " (the layer is on " + Ids.HOST.format(host) + ")").orElse(""), false);
            }
            checkCancel(build);
            pause("a host");
        }
    }

    private String startBuilder(Caller caller, BuildRecord build, Recipe recipe, Template from, UUID layer)
            throws HostException {
        boolean restore = layer != null;
        CreateSandboxRequest request = new CreateSandboxRequest(restore ? null : from.name(), null,
                restore ? Ids.SNAPSHOT.format(layer) : null, null,
                restore ? null : recipe.vcpus(), restore ? null : recipe.memoryMb(), restore ? null : recipe.diskSizeMb(),
                0, false, null, Map.of("amber.build", Ids.BUILD.format(build.id())), null, false, true);
        String id = sandboxes.create(caller, request).id();
        builds.setBuilder(build.id(), Ids.SANDBOX.parse(id).orElseThrow());
        builds.log(build.id(), null, "system", "builder sandbox " + id + (restore ? " restored from layer "
                + Ids.SNAPSHOT.format(layer) : " booted from template " + from.name()) + "\n");
        return id;
    }

    private void runStep(Caller caller, String builder, TemplateStep step, StepContext context, UUID buildId, int index)
            throws HostException, BuildStopped {
        switch (step.type()) {
            case "run" -> {
                ProcessStream.Exit exit;
                try (StepOutput output = new StepOutput(builds, buildId, index)) {
                    exit = sandboxes.run(caller, builder, context.exec(step.cmd(), STEP_TIMEOUT_SEC), output::accept);
                }
                if (exit.timedOut() || exit.exitCode() != 0) {
                    throw new BuildStopped("step " + index + " (run) " + (exit.timedOut() ? "timed out after "
                            + STEP_TIMEOUT_SEC + " s" : "exited with " + exit.exitCode()), false);
                }
            }
            case "copy" -> {
                byte[] content = Base64.getDecoder().decode(step.content());
                HostFiles host = sandboxes.running(caller, builder).files();
                String parent = step.path().substring(0, Math.max(1, step.path().lastIndexOf('/')));
                host.mkdir(builder, parent, 0755);
                host.upload(builder, step.path(), step.mode() == null ? 0644 : step.mode(),
                        new ByteArrayInputStream(content));
                builds.log(buildId, index, "system", "copied " + content.length + " bytes to " + step.path() + "\n");
            }
            case "workdir" -> {
                sandboxes.running(caller, builder).files().mkdir(builder, step.path(), 0755);
                context.apply(step);
            }
            default -> context.apply(step);
        }
    }

    /** Polls readyCmd until it succeeds; a build without one is ready at once. */
    private void awaitReady(Caller caller, String builder, Recipe recipe, StepContext context, UUID buildId, int index)
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
            pause("readyCmd");
        } while (System.nanoTime() < deadline);
        logOutput(buildId, index, last);
        throw new BuildStopped("readyCmd did not succeed within " + recipe.readyTimeoutSec() + " s (last exit "
                + (last.timedOut() ? "timed out" : Integer.toString(last.exitCode())) + ")", false);
    }

    /** Waits between two polls; an interrupt (the server closing) stops the build. */
    private static void pause(String awaited) throws BuildStopped {
        try {
            Thread.sleep(POLL_INTERVAL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildStopped("interrupted while waiting for " + awaited, false);
        }
    }

    private void logOutput(UUID buildId, int index, ExecResponse result) {
        if (!result.stdout().isEmpty()) {
            builds.log(buildId, index, "stdout", result.stdout());
        }
        if (!result.stderr().isEmpty()) {
            builds.log(buildId, index, "stderr", result.stderr());
        }
    }

    private void checkCancel(BuildRecord build) throws BuildStopped {
        if (builds.cancelRequested(build.id())) {
            throw new BuildStopped("cancelled", true);
        }
    }

    /**
     * The template now starts sandboxes from the final layer (kind snapshot) or boots the layer's
     * disk flattened into an image (kind image); the image it booted before goes if nothing needs it.
     */
    private void succeed(BuildRecord build, Recipe recipe, UUID layer, Progress progress) throws HostException {
        SnapshotRecord snapshot = snapshotRecords.findVisible(build.teamId(), layer)
                .orElseThrow(() -> new IllegalStateException("layer " + Ids.SNAPSHOT.format(layer) + " vanished"));
        if (recipe.kind().equals(Recipe.KIND_IMAGE)) {
            UUID image = UUID.randomUUID();
            long bytes = hosts.require(snapshot.hostId()).snapshots().flatten(snapshot.wireId(), Ids.IMAGE.format(image));
            imageReady(build, recipe, image, snapshot.hostId(), bytes, progress, "flattened from " + snapshot.wireId());
            return;
        }
        Optional<Template> before = templates.find(build.templateId());
        templates.built(build.templateId(), builds.write(recipe), layer, snapshot.vcpus(), snapshot.memoryMb(),
                snapshot.diskSizeMb());
        builds.log(build.id(), null, "system", "template " + build.templateName() + " ready: sandboxes start from "
                + Ids.SNAPSHOT.format(layer) + "\n");
        finished(build, progress, before);
    }

    /** An import: the archive on a connected host becomes the template's image. */
    private void importImage(BuildRecord build, Recipe recipe, Progress progress) throws HostException, BuildStopped {
        awaitHost(build, null);
        progress.running(0);
        UUID host = hosts.connected().getFirst();
        UUID image = UUID.randomUUID();
        long bytes = hosts.require(host).snapshots().importImage(recipe.imageUri(), Ids.IMAGE.format(image), recipe.diskSizeMb());
        progress.done(0);
        imageReady(build, recipe, image, host, bytes, progress, "imported from " + recipe.imageUri());
    }

    private void imageReady(BuildRecord build, Recipe recipe, UUID image, UUID host, long bytes, Progress progress,
                            String how) {
        Optional<Template> before = templates.find(build.templateId());
        templates.builtImage(build.templateId(), builds.write(recipe), image, host, bytes, recipe.vcpus(),
                recipe.memoryMb(), recipe.diskSizeMb());
        builds.log(build.id(), null, "system", "template " + build.templateName() + " ready: sandboxes boot image "
                + Ids.IMAGE.format(image) + " (" + bytes + " bytes, " + how + ")\n");
        finished(build, progress, before);
    }

    private void finished(BuildRecord build, Progress progress, Optional<Template> before) {
        builds.finish(build.id(), "succeeded", null, progress.steps);
        before.ifPresent(images::releaseImageOf);
        LOG.log(System.Logger.Level.INFO, "build {0} of template {1} succeeded", Ids.BUILD.format(build.id()),
                build.templateName());
    }

    private void stop(BuildRecord build, Progress progress, String reason, boolean cancelled) {
        progress.stopped(cancelled);
        builds.log(build.id(), progress.current, "system", (cancelled ? "cancelled" : "failed: " + reason) + "\n");
        builds.finish(build.id(), cancelled ? "cancelled" : "failed", reason, progress.steps);
        templates.buildFailed(build.templateId(), cancelled ? "its first build was cancelled" : reason);
        LOG.log(System.Logger.Level.WARNING, "build {0} of template {1} {2}", Ids.BUILD.format(build.id()),
                build.templateName(), cancelled ? "cancelled" : "failed: " + reason);
    }

    /** The builder an interrupted earlier attempt of this build left, if any. */
    private void removeBuilder(BuildRecord build, Caller caller) {
        if (build.builderId() != null) {
            deleteBuilder(caller, Ids.SANDBOX.format(build.builderId()));
        }
    }

    private void deleteBuilder(Caller caller, String builder) {
        try {
            sandboxes.delete(caller, builder);
        } catch (HostException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete builder sandbox {0}: {1}", builder, e.getMessage());
        }
    }

    /** The steps' statuses, recorded in the build's row at every change. */
    private final class Progress {
        private final UUID buildId;
        private final List<BuildStepView> steps;
        private final long[] started;
        private Integer current;

        Progress(BuildRecord build) {
            this.buildId = build.id();
            this.steps = new ArrayList<>(RecipeChecker.pendingSteps(build.recipe()));
            this.started = new long[steps.size()];
            builds.updateSteps(buildId, steps);
        }

        void cachedUpTo(int index) {
            for (int i = 0; i <= index; i++) {
                steps.set(i, steps.get(i).withStatus(StepStatus.CACHED, 0L));
            }
            if (index >= 0) {
                builds.log(buildId, null, "system", "steps 0-" + index + " cached\n");
            }
            builds.updateSteps(buildId, steps);
        }

        void running(int index) {
            current = index;
            started[index] = System.nanoTime();
            steps.set(index, steps.get(index).withStatus(StepStatus.RUNNING, null));
            builds.updateSteps(buildId, steps);
            builds.log(buildId, index, "system", "step " + index + " " + steps.get(index).type() + ": "
                    + steps.get(index).summary() + "\n");
        }

        void done(int index) {
            steps.set(index, steps.get(index).withStatus(StepStatus.DONE, (System.nanoTime() - started[index]) / 1_000_000));
            current = null;
            builds.updateSteps(buildId, steps);
        }

        void stopped(boolean cancelled) {
            for (int i = 0; i < steps.size(); i++) {
                BuildStepView step = steps.get(i);
                if (step.status().equals(StepStatus.RUNNING)) {
                    steps.set(i, step.withStatus(cancelled ? StepStatus.SKIPPED : StepStatus.FAILED,
                            (System.nanoTime() - started[i]) / 1_000_000));
                } else if (step.status().equals(StepStatus.PENDING)) {
                    steps.set(i, step.withStatus(StepStatus.SKIPPED, null));
                }
            }
        }
    }

    /** What env, workdir and user steps set for the steps after them. */
    private static final class StepContext {
        private final Map<String, String> env = new HashMap<>();
        private String workdir;
        private String user;

        void apply(TemplateStep step) {
            switch (step.type()) {
                case "env" -> env.putAll(step.env());
                case "workdir" -> workdir = step.path();
                case "user" -> user = step.user();
                default -> { }
            }
        }

        ExecRequest exec(String shell, int timeoutSec) {
            return new ExecRequest(null, shell, Map.copyOf(env), workdir, user, null, timeoutSec, null, null, null);
        }
    }
}
