package dev.amber.server.template;

import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.CreateSandboxRequest;
import dev.amber.server.auth.Caller;
import dev.amber.server.sandbox.Resources;
import dev.amber.server.sandbox.SandboxLimits;
import dev.amber.server.sandbox.Source;
import dev.amber.server.sandbox.SourceResolver;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotService;
import dev.amber.server.template.TemplateRepository.Template;

import java.util.Objects;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Where new sandboxes start from, found by the names requests give: a template (by name, the
 * default one when none is given) or a snapshot (by id or name), each checked with its own message,
 * with the resources the source dictates or the request may choose.
 */
public final class SandboxSources implements SourceResolver {

    private final TemplateRepository templates;
    private final SnapshotService snapshots;

    public SandboxSources(TemplateRepository templates, SnapshotService snapshots) {
        this.templates = requireNonNull(templates, "templates");
        this.snapshots = requireNonNull(snapshots, "snapshots");
    }

    @Override
    public Source resolve(Caller caller, CreateSandboxRequest request) {
        long sources = Stream.of(request.template(), request.image(), request.snapshotId()).filter(Objects::nonNull).count();
        if (sources > 1) {
            throw ApiException.badRequest("give at most one source: template, image or snapshotId");
        }
        if (request.entrypoint() != null && request.snapshotId() != null) {
            throw ApiException.badRequest("entrypoint is not allowed with snapshotId: a snapshot's processes are "
                    + "already running");
        }
        if (request.entrypoint() != null && request.image() == null) {
            throw ApiException.badRequest("entrypoint is only allowed with image");
        }
        if (request.image() != null && request.entrypoint() == null) {
            throw ApiException.badRequest("entrypoint is required with image");
        }
        if (request.image() != null) {
            throw ApiException.unprocessable("sandboxes do not start from an image directly yet: import it as a template "
                    + "(POST /v1/templates with image, admins) and create with template");
        }
        Requested requested = new Requested(request.vcpus(), request.memoryMb(), request.diskSizeMb());
        if (request.snapshotId() != null) {
            return new Source.Snapshot(snapshot(caller, request.snapshotId(), requested));
        }
        return template(caller, Objects.requireNonNullElse(request.template(), TemplateRepository.DEFAULT_TEMPLATE),
                requested);
    }

    /** Resources a request asks for; null: as the source has them. */
    record Requested(Integer vcpus, Integer memoryMb, Long diskSizeMb) {
        static final Requested NOTHING = new Requested(null, null, null);
    }

    /** The caller's own snapshot, ready to start from; resources may be repeated, not changed. */
    SnapshotRecord snapshot(Caller caller, String idOrName, Requested requested) {
        return startable(snapshots.require(caller, idOrName), requested);
    }

    /**
     * A snapshot template's snapshot, ready to start from: whoever owns it, the caller reaches it
     * through a template it sees (a published platform template's is the platform's).
     */
    Source.TemplateSnapshot templateSnapshot(Template template, Requested requested) {
        SnapshotRecord snapshot = snapshots.requireOfTemplate(template.name(), template.snapshotId());
        return new Source.TemplateSnapshot(template.id(), template.name(), startable(snapshot, requested));
    }

    private static SnapshotRecord startable(SnapshotRecord snapshot, Requested requested) {
        SnapshotService.requireReady(snapshot);
        fromSnapshot("vcpus", requested.vcpus(), snapshot.vcpus(), snapshot);
        fromSnapshot("memoryMb", requested.memoryMb(), snapshot.memoryMb(), snapshot);
        fromSnapshot("diskSizeMb", requested.diskSizeMb(), snapshot.diskSizeMb(), snapshot);
        return snapshot;
    }

    /** The template the caller sees by that name, ready to start sandboxes, with the resources asked for. */
    Source template(Caller caller, String name, Requested requested) {
        Template template = templates.findVisible(caller.teamId(), name)
                .orElseThrow(() -> ApiException.unprocessable("unknown template \"" + name + "\""));
        if (template.snapshotId() != null) {
            return templateSnapshot(template, requested);
        }
        if (template.state() != TemplateState.READY) {
            throw ApiException.conflict("template \"" + name + "\" is " + template.state().wireName()
                    + (template.stateReason() == null ? "" : " (" + template.stateReason() + ")")
                    + "; it can start sandboxes once a build of it has succeeded");
        }
        long diskSizeMb = Objects.requireNonNullElse(requested.diskSizeMb(), template.imageId() == null
                ? SandboxLimits.DEFAULT_DISK_MB : template.diskSizeMb());
        if (template.imageId() != null && diskSizeMb < template.diskSizeMb()) {
            throw ApiException.badRequest("diskSizeMb must be at least " + template.diskSizeMb() + " (the size of "
                    + "template \"" + name + "\"'s image), got " + diskSizeMb);
        }
        Resources resources = new Resources(Objects.requireNonNullElse(requested.vcpus(), template.vcpus()),
                Objects.requireNonNullElse(requested.memoryMb(), template.memoryMb()), diskSizeMb);
        return template.imageId() == null ? new Source.Template(template.id(), template.name(), resources)
                : new Source.Image(template.id(), template.name(), template.imageId(), template.hostId(), resources);
    }

    /** A resource that comes from the snapshot may be repeated, not changed. */
    private static void fromSnapshot(String field, Number requested, long snapshotValue, SnapshotRecord snapshot) {
        if (requested != null && requested.longValue() != snapshotValue) {
            throw ApiException.badRequest(field + " comes from the snapshot (" + snapshot.wireId() + " has "
                    + snapshotValue + "); leave it out");
        }
    }
}
