package dev.amber.server.template;

import dev.amber.server.Ids;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotRepository;
import dev.amber.server.template.TemplateRepository.Template;

import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * How builds end, recorded: the template now starts sandboxes from what the build made, or the
 * build failed (a template never built is then failed too).
 */
final class BuildOutcomes {

    private static final System.Logger LOG = System.getLogger("amber.build");

    private final BuildRepository builds;
    private final TemplateRepository templates;
    private final SnapshotRepository snapshotRecords;
    private final HostDirectory hosts;
    private final ImageRelease images;

    BuildOutcomes(BuildRepository builds, TemplateRepository templates, SnapshotRepository snapshotRecords,
                  HostDirectory hosts, ImageRelease images) {
        this.builds = requireNonNull(builds, "builds");
        this.templates = requireNonNull(templates, "templates");
        this.snapshotRecords = requireNonNull(snapshotRecords, "snapshotRecords");
        this.hosts = requireNonNull(hosts, "hosts");
        this.images = requireNonNull(images, "images");
    }

    /**
     * The template now starts sandboxes from the final layer (kind snapshot) or boots the layer's
     * disk flattened into an image (kind image); the image it booted before goes if nothing needs it.
     */
    void succeeded(BuildRecord build, Recipe recipe, UUID layer, BuildProgress progress) throws HostException {
        SnapshotRecord snapshot = snapshotRecords.findOwned(build.teamId(), layer)
                .orElseThrow(() -> new IllegalStateException("layer " + Ids.SNAPSHOT.format(layer) + " vanished"));
        switch (recipe.kind()) {
            case IMAGE -> {
                UUID image = UUID.randomUUID();
                long bytes = hosts.require(snapshot.hostId()).snapshots().flatten(snapshot.wireId(), Ids.IMAGE.format(image));
                imageReady(build, recipe, image, snapshot.hostId(), bytes, progress,
                        "flattened from " + snapshot.wireId());
            }
            case SNAPSHOT -> {
                Optional<Template> before = templates.find(build.templateId());
                templates.built(build.templateId(), builds.write(recipe), layer, snapshot.vcpus(), snapshot.memoryMb(),
                        snapshot.diskSizeMb());
                builds.log(build.id(), null, "system", "template " + build.templateName()
                        + " ready: sandboxes start from " + Ids.SNAPSHOT.format(layer) + "\n");
                finished(build, progress, before);
            }
        }
    }

    /** The template now boots {@code image} on {@code host}; {@code how} says where the image came from. */
    void imageReady(BuildRecord build, Recipe recipe, UUID image, UUID host, long bytes, BuildProgress progress,
                    String how) {
        Optional<Template> before = templates.find(build.templateId());
        templates.builtImage(build.templateId(), builds.write(recipe), image, host, bytes, recipe.vcpus(),
                recipe.memoryMb(), recipe.diskSizeMb());
        builds.log(build.id(), null, "system", "template " + build.templateName() + " ready: sandboxes boot image "
                + Ids.IMAGE.format(image) + " (" + bytes + " bytes, " + how + ")\n");
        finished(build, progress, before);
    }

    private void finished(BuildRecord build, BuildProgress progress, Optional<Template> before) {
        builds.finish(build.id(), BuildStatus.SUCCEEDED, null, progress.steps());
        before.ifPresent(images::releaseImageOf);
        LOG.log(System.Logger.Level.INFO, "build {0} of template {1} succeeded", Ids.BUILD.format(build.id()),
                build.templateName());
    }

    void stopped(BuildRecord build, BuildProgress progress, String reason, boolean cancelled) {
        progress.stopped(cancelled);
        builds.log(build.id(), progress.current(), "system", (cancelled ? "cancelled" : "failed: " + reason) + "\n");
        builds.finish(build.id(), cancelled ? BuildStatus.CANCELLED : BuildStatus.FAILED, reason, progress.steps());
        templates.buildFailed(build.templateId(), cancelled ? "its first build was cancelled" : reason);
        LOG.log(System.Logger.Level.WARNING, "build {0} of template {1} {2}", Ids.BUILD.format(build.id()),
                build.templateName(), cancelled ? "cancelled" : "failed: " + reason);
    }
}
