package dev.amber.server.snapshot;

import dev.amber.api.error.ApiException;
import dev.amber.api.snapshot.ForkResponse;
import dev.amber.server.audit.AuditLog;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostException;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * A fork: a checkpoint of a running sandbox, then new sandboxes restored from it, each with the
 * source's memory, processes and disk as they were, and its settings. All or nothing: if one
 * copy cannot start, the ones already started are deleted (the checkpoint stays with the source,
 * whose disk now builds on it).
 */
public final class Forks {

    public static final int MAX_COUNT = 10;
    private static final System.Logger LOG = System.getLogger("amber.snapshot");

    private final SnapshotService snapshots;
    private final SandboxService sandboxes;
    private final AuditLog audit;

    public Forks(SnapshotService snapshots, SandboxService sandboxes, AuditLog audit) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.audit = requireNonNull(audit, "audit");
    }

    /** {@code count} null means 1. */
    public ForkResponse fork(Caller caller, String sandboxId, Integer count) throws HostException {
        int copies = Objects.requireNonNullElse(count, 1);
        if (copies < 1 || copies > MAX_COUNT) {
            throw ApiException.badRequest("count must be between 1 and " + MAX_COUNT + ", got " + copies);
        }
        sandboxes.checkFork(caller, sandboxes.require(caller, sandboxId), copies);
        SnapshotRecord checkpoint = snapshots.checkpoint(caller, sandboxId);
        SandboxRecord source = sandboxes.require(caller, sandboxId);
        List<SandboxRecord> forks = new ArrayList<>();
        try {
            for (int i = 0; i < copies; i++) {
                forks.add(sandboxes.fork(caller, source, checkpoint));
            }
        } catch (HostException | RuntimeException e) {
            for (SandboxRecord fork : forks) {
                try {
                    sandboxes.delete(caller, fork.wireId());
                } catch (HostException | RuntimeException cleanup) {
                    LOG.log(System.Logger.Level.WARNING, "could not delete fork {0} of a failed fork: {1}",
                            fork.wireId(), cleanup.getMessage());
                    e.addSuppressed(cleanup);
                }
            }
            audit.record(caller, "sandbox.fork", sandboxId, "failed", Map.of("checkpoint", checkpoint.wireId(),
                    "count", copies, "reason", String.valueOf(e.getMessage())));
            String context = "copy " + (forks.size() + 1) + " of " + copies + " did not start"
                    + (forks.isEmpty() ? "" : ", so the " + forks.size() + " already started were deleted") + ": ";
            if (e instanceof HostException host) {
                throw new HostException(host.kind(), context + host.getMessage(), host);
            }
            if (e instanceof ApiException api) {
                throw new ApiException(api.code(), context + api.getMessage(), api.details());
            }
            throw e;
        }
        audit.record(caller, "sandbox.fork", sandboxId, "ok", Map.of("checkpoint", checkpoint.wireId(),
                "sandboxes", forks.stream().map(SandboxRecord::wireId).toList()));
        return new ForkResponse(checkpoint.view(), forks.stream().map(sandboxes::viewOfNew).toList());
    }
}
