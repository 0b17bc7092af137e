package dev.amber.api.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * A sandbox as the API shows it. {@code lastActivityAt}: the last call on it (throttled to about a
 * second); {@code timeoutSec} after it, a running sandbox with {@code autoPause} is paused.
 */
public record SandboxView(
        String id,
        String state,
        String stateReason,
        String template,
        String snapshotId,
        String basedOn,
        Integer lastPatchSequence,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        int timeoutSec,
        boolean autoPause,
        boolean autoResume,
        Map<String, String> metadata,
        NetworkSettings network,
        String hostId,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActivityAt) {}
