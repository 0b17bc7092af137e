package dev.amber.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A sandbox as the API shows it. {@code lastActivityAt}: the last call on it (throttled to about a
 * second); {@code timeoutSec} after it, a running sandbox with {@code autoPause} is paused.
 * {@code portToken}: only in the answer that issued it (a create, fork or network change making
 * the ports private); it is stored hashed and never shown again. {@code lastPatchSequence}: the
 * last patch of {@code basedOn} applied; {@code patchError}: why the next one failed (it is tried
 * again on the next wake). {@code hostUnreachable}: its host missed its heartbeats; calls that need
 * the host answer 503 until it is back (the sandbox is not lost: it is reconciled when the host registers again).
 * {@code durable} (paused sandboxes only): its saved machine is in the object store, so it resumes
 * on another host if its own is gone; {@code durableError}: why the last copy failed.
 */
public record SandboxView(
        String id,
        String state,
        String stateReason,
        String template,
        String snapshotId,
        String basedOn,
        Integer lastPatchSequence,
        @JsonInclude(JsonInclude.Include.NON_NULL) String patchError,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        int timeoutSec,
        boolean autoPause,
        boolean autoResume,
        Map<String, String> metadata,
        NetworkSettings network,
        String hostId,
        boolean hostUnreachable,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActivityAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String portToken,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean durable,
        @JsonInclude(JsonInclude.Include.NON_NULL) String durableError) {

    /** The view with the port token just issued: shown once, in the answer to what issued it. */
    public SandboxView withPortToken(String token) {
        return new SandboxView(id, state, stateReason, template, snapshotId, basedOn, lastPatchSequence, patchError,
                vcpus, memoryMb,
                diskSizeMb, timeoutSec, autoPause, autoResume, metadata, network, hostId, hostUnreachable, createdAt, updatedAt,
                lastActivityAt, token, durable, durableError);
    }
}
