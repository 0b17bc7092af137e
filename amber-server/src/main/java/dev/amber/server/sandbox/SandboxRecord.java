package dev.amber.server.sandbox;

import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.api.sandbox.SandboxView;
import dev.amber.server.Ids;
import dev.amber.server.host.HostDirectory;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A sandbox row. {@code snapshotId}: the snapshot it was created from; {@code basedOn}: the
 * snapshot its state last came from (its source, or the checkpoint it was rolled back to).
 * {@code portTokenHash}: SHA-256 of its port token, null until one is issued.
 * {@code lastPatchSequence}: the last patch of {@code basedOn} applied to it; {@code patchError}:
 * why the next one failed (it is tried again on the next wake). {@code imageId}: the template image it
 * booted, if any. {@code storedStateId}: while paused, the id its saved machine is stored under in the
 * object store, once it is (then any host can resume it); {@code durableError}: why the last copy failed.
 */
public record SandboxRecord(
        UUID id,
        UUID teamId,
        SandboxState state,
        String stateReason,
        String template,
        UUID snapshotId,
        UUID basedOn,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        int timeoutSec,
        boolean autoPause,
        boolean autoResume,
        Map<String, String> env,
        Map<String, String> metadata,
        NetworkSettings network,
        UUID hostId,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActivityAt,
        byte[] portTokenHash,
        Integer lastPatchSequence,
        String patchError,
        UUID imageId,
        String storedStateId,
        String durableError) {

    public String wireId() {
        return Ids.SANDBOX.format(id);
    }

    /** As the API shows it; {@code hosts} say whether the host of a sandbox that is not stopped is unreachable. */
    public SandboxView view(HostDirectory hosts) {
        boolean hostUnreachable = hostId != null && state != SandboxState.STOPPED && !hosts.reachable(hostId);
        return new SandboxView(wireId(), state.wireName(), stateReason, template, Ids.SNAPSHOT.format(snapshotId),
                Ids.SNAPSHOT.format(basedOn), lastPatchSequence, patchError, vcpus, memoryMb, diskSizeMb, timeoutSec,
                autoPause, autoResume,
                metadata, network, Ids.HOST.format(hostId), hostUnreachable, createdAt, updatedAt, lastActivityAt, null,
                state == SandboxState.PAUSED ? storedStateId != null : null,
                state == SandboxState.PAUSED ? durableError : null);
    }
}
