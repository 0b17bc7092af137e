package dev.amber.server.template;

import dev.amber.server.Ids;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.sandbox.NewSandbox;
import dev.amber.server.sandbox.SandboxService;
import dev.amber.server.sandbox.Source;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.server.snapshot.SnapshotService;
import dev.amber.server.template.TemplateRepository.Template;

import java.time.Duration;
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
    /** How long a build waits for the host it needs (after a restart, hosts register again within seconds). */
    private static final Duration HOST_WAIT = Duration.ofMinutes(2);

    private final BuildRepository builds;
    private final TemplateRepository templates;
    private final LayerCache layers;
    private final SandboxSources sources;
    private final SandboxService sandboxes;
    private final SnapshotService snapshots;
    private final SnapshotRepository snapshotRecords;
    private final HostDirectory hosts;
    private final StepRunner steps;
    private final BuildOutcomes outcomes;

    BuildRunner(BuildRepository builds, TemplateRepository templates, LayerCache layers, SandboxSources sources,
                SandboxService sandboxes, SnapshotService snapshots, SnapshotRepository snapshotRecords,
                HostDirectory hosts, BuildOutcomes outcomes) {
        this.builds = requireNonNull(builds, "builds");
        this.templates = requireNonNull(templates, "templates");
        this.layers = requireNonNull(layers, "layers");
        this.sources = requireNonNull(sources, "sources");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.snapshotRecords = requireNonNull(snapshotRecords, "snapshotRecords");
        this.hosts = requireNonNull(hosts, "hosts");
        this.outcomes = requireNonNull(outcomes, "outcomes");
        this.steps = new StepRunner(builds, sandboxes);
    }

    /** The platform's builds run as an admin of the platform team, a team's as that team. */
    static Caller callerOf(UUID teamId) {
        return new Caller(teamId, null, Ids.PLATFORM_TEAM.equals(teamId));
    }

    /** Runs a claimed build to its end and records how it ended. */
    void run(BuildRecord build) {
        BuildProgress progress = new BuildProgress(builds, build);
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
                outcomes.succeeded(build, recipe, finished.get(), progress);
                return;
            }
            int cachedUpTo = -1;
            UUID start = from.snapshotId();
            for (int i = last - 1; i >= 0; i--) {
                Optional<UUID> layer = recipe.steps().get(i).changesMachine() ? layers.find(build.teamId(), keys.get(i))
                        : Optional.empty();
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
                steps.run(caller, builder, recipe.steps().get(i), context, build.id(), i);
                if (recipe.steps().get(i).changesMachine()) {
                    layer = snapshots.layer(caller, builder).id();
                    layers.put(build.teamId(), keys.get(i), layer);
                }
                progress.done(i);
            }
            checkCancel(build);
            progress.running(last);
            steps.awaitReady(caller, builder, recipe, context, build.id(), last);
            steps.sync(caller, builder, context);
            layer = snapshots.layer(caller, builder).id();
            layers.put(build.teamId(), keys.get(last), layer);
            progress.done(last);
            outcomes.succeeded(build, recipe, layer, progress);
        } catch (BuildStopped e) {
            outcomes.stopped(build, progress, e.getMessage(), e.cancelled);
        } catch (HostException | RuntimeException e) {
            outcomes.stopped(build, progress, e.getMessage(), false);
        } finally {
            if (builder != null) {
                deleteBuilder(caller, builder);
            }
        }
    }

    /** Waits until the host of snapshot {@code start} (or, to boot, any host) is connected. */
    private void awaitHost(BuildRecord build, UUID start) throws BuildStopped {
        // start is the build's own layer or its from template's snapshot, which may be the platform's
        Optional<UUID> needed = start == null ? Optional.empty() : snapshotRecords.find(start).map(SnapshotRecord::hostId);
        long deadline = System.nanoTime() + HOST_WAIT.toNanos();
        while (needed.map(host -> hosts.client(host).isEmpty()).orElseGet(() -> hosts.connected().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new BuildStopped("no host to build on connected within " + HOST_WAIT.toMinutes() + " minutes"
                        + needed.map(host -> " (the layer is on " + Ids.HOST.format(host) + ")").orElse(""), false);
            }
            checkCancel(build);
            BuildStopped.pause("a host");
        }
    }

    /**
     * The builder sandbox: restored from {@code layer} (a cached layer of the team's, or template
     * {@code from}'s snapshot, used through the template: it may be a published platform
     * template's), or booted from template {@code from} with the recipe's resources. It never
     * pauses and is deleted when the build ends.
     */
    private String startBuilder(Caller caller, BuildRecord build, Recipe recipe, Template from, UUID layer)
            throws HostException {
        boolean restore = layer != null;
        Source source;
        if (!restore) {
            source = sources.template(caller, from.name(), new SandboxSources.Requested(recipe.vcpus(),
                    recipe.memoryMb(), recipe.diskSizeMb()));
        } else if (layer.equals(from.snapshotId())) {
            source = sources.templateSnapshot(from, SandboxSources.Requested.NOTHING);
        } else {
            source = new Source.Snapshot(sources.snapshot(caller, Ids.SNAPSHOT.format(layer),
                    SandboxSources.Requested.NOTHING));
        }
        NewSandbox sandbox = NewSandbox.builder(source).timeoutSec(0).autoPause(false).autoResume(false)
                .metadata(Map.of("amber.build", Ids.BUILD.format(build.id()))).build();
        String id = sandboxes.create(caller, sandbox, true).wireId();
        builds.setBuilder(build.id(), Ids.SANDBOX.parse(id).orElseThrow());
        builds.log(build.id(), null, "system", "builder sandbox " + id + (restore ? " restored from layer "
                + Ids.SNAPSHOT.format(layer) : " booted from template " + from.name()) + "\n");
        return id;
    }

    /** An import: the archive on a connected host becomes the template's image. */
    private void importImage(BuildRecord build, Recipe recipe, BuildProgress progress) throws HostException, BuildStopped {
        awaitHost(build, null);
        progress.running(0);
        UUID host = hosts.connected().getFirst();
        UUID image = UUID.randomUUID();
        long bytes = hosts.require(host).snapshots().importImage(recipe.imageUri(), Ids.IMAGE.format(image), recipe.diskSizeMb());
        progress.done(0);
        outcomes.imageReady(build, recipe, image, host, bytes, progress, "imported from " + recipe.imageUri());
    }

    private void checkCancel(BuildRecord build) throws BuildStopped {
        if (builds.cancelRequested(build.id())) {
            throw new BuildStopped("cancelled", true);
        }
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
}
