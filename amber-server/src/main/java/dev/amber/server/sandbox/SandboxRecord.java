package dev.amber.server.sandbox;

import dev.amber.api.sandbox.NetworkSettings;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A sandbox row. */
public record SandboxRecord(
        UUID id,
        UUID teamId,
        SandboxState state,
        String stateReason,
        String template,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        int timeoutSec,
        boolean autoPause,
        Map<String, String> metadata,
        NetworkSettings network,
        UUID hostId,
        Instant createdAt,
        Instant updatedAt) {}
