package dev.amber.server.patch;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.snapshot.CreatePatchRequest;
import dev.amber.api.snapshot.PatchView;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.sandbox.SandboxWakeHook;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotService;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Patches of a team's own snapshots; the platform team's are only admins' to add or delete.
 * Sandboxes pick patches up when they wake ({@link #applier()}), also those of a published
 * platform template's snapshot that other teams' sandboxes start from, which those teams do not see.
 */
public final class PatchService {

    private static final int MAX_SCRIPT_BYTES = 64 << 10;

    private final PatchRepository patches;
    private final PatchApplier applier;
    private final AuditLog audit;
    private final SnapshotService snapshots;

    public PatchService(Jdbi jdbi, SnapshotService snapshots, HostDirectory hosts, AuditLog audit) {
        this.patches = new PatchRepository(jdbi);
        this.applier = new PatchApplier(patches, hosts);
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.audit = requireNonNull(audit, "audit");
    }

    /** What sandboxes call when they wake: it applies their pending patches. */
    public SandboxWakeHook applier() {
        return applier;
    }

    public PatchView add(Caller caller, String idOrName, CreatePatchRequest request) {
        SnapshotRecord snapshot = requireChangeable(caller, idOrName);
        String script = request.script();
        if (script == null || script.isBlank()) {
            throw ApiException.badRequest("script is required: the shell script to run in each sandbox");
        }
        if (script.getBytes(StandardCharsets.UTF_8).length > MAX_SCRIPT_BYTES) {
            throw ApiException.badRequest("script must be at most " + MAX_SCRIPT_BYTES + " bytes");
        }
        if (script.indexOf('\0') >= 0) {
            throw ApiException.badRequest("script must not contain NUL bytes");
        }
        PatchView patch = patches.add(snapshot.id(), script);
        audit.record(caller, "patch.create", snapshot.wireId(), "ok", Map.of("sequence", patch.sequence()));
        return patch;
    }

    public List<PatchView> list(Caller caller, String idOrName) {
        return patches.after(snapshots.require(caller, idOrName).id(), 0);
    }

    public void delete(Caller caller, String idOrName, String sequence) {
        SnapshotRecord snapshot = requireChangeable(caller, idOrName);
        int number;
        try {
            number = Integer.parseInt(sequence);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no patch " + sequence + " of " + snapshot.wireId());
        }
        if (!patches.delete(snapshot.id(), number)) {
            throw ApiException.notFound("no patch " + sequence + " of " + snapshot.wireId());
        }
        audit.record(caller, "patch.delete", snapshot.wireId(), "ok", Map.of("sequence", number));
    }

    private SnapshotRecord requireChangeable(Caller caller, String idOrName) {
        SnapshotRecord snapshot = snapshots.require(caller, idOrName);
        if (snapshot.isPlatform() && !caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, snapshot.wireId() + " is a platform snapshot; only a platform "
                    + "admin can change its patches");
        }
        return snapshot;
    }
}
