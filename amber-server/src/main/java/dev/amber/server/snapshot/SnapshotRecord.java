package dev.amber.server.snapshot;

import dev.amber.api.error.ApiException;
import dev.amber.api.snapshot.SnapshotView;
import dev.amber.server.Ids;
import dev.amber.server.WireName;
import dev.amber.server.host.SavedPlatform;
import dev.amber.server.sandbox.RestorePoint;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A snapshot row: a named snapshot or a checkpoint, saved on {@code hostId} from sandbox
 * {@code sandboxId}. {@code diskParentId}: the snapshot whose disk layer this one's sits on.
 * {@code durable}: copied to the object store, so any host can start from it; {@code durableError}:
 * why the last copy failed. {@code platform}: what it was saved on (empty until it is ready, and for
 * snapshots made before platforms were recorded).
 */
public record SnapshotRecord(
        UUID id,
        UUID teamId,
        String name,
        Kind kind,
        State state,
        String stateReason,
        UUID sandboxId,
        UUID basedOn,
        UUID diskParentId,
        UUID hostId,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        Long sizeBytes,
        Long pauseWindowMs,
        Instant createdAt,
        boolean durable,
        String durableError,
        Optional<SavedPlatform> platform) implements RestorePoint {

    public enum Kind implements WireName {
        SNAPSHOT,
        CHECKPOINT,
        /** A template build's saved state after a step; kept as a cache and as templates' starting points. */
        LAYER;

        static Kind fromWireName(String name) {
            return WireName.fromWireName(Kind.class, name);
        }

        /** The kind a query parameter names; 400 listing the valid ones otherwise. */
        static Kind parse(String name) {
            return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("unknown kind \"" + name + "\"; one of "
                            + Arrays.stream(values()).map(Kind::wireName).collect(Collectors.joining(", "))));
        }
    }

    /** {@code deleting}: claimed by a deletion, which has checked that nothing uses it. */
    public enum State implements WireName {
        CREATING,
        READY,
        FAILED,
        DELETING;

        static State fromWireName(String name) {
            return WireName.fromWireName(State.class, name);
        }
    }

    public String wireId() {
        return Ids.SNAPSHOT.format(id);
    }

    /** Owned by the platform team: visible to every team, changed only by admins. */
    public boolean isPlatform() {
        return teamId.equals(Ids.PLATFORM_TEAM);
    }

    public SnapshotView view() {
        return new SnapshotView(wireId(), name, kind.wireName(), state.wireName(), stateReason,
                Ids.SANDBOX.format(sandboxId), Ids.SNAPSHOT.format(basedOn), vcpus, memoryMb, diskSizeMb, sizeBytes,
                pauseWindowMs, Ids.HOST.format(hostId), createdAt, durable, durableError);
    }
}
