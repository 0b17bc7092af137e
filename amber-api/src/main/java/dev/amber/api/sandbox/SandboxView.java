package dev.amber.api.sandbox;

import java.time.Instant;
import java.util.Map;

/** A sandbox as the API shows it. */
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
        Map<String, String> metadata,
        NetworkSettings network,
        String hostId,
        Instant createdAt,
        Instant updatedAt) {}
