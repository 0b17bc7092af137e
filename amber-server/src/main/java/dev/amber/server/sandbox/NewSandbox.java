package dev.amber.server.sandbox;

import dev.amber.api.sandbox.NetworkSettings;

import java.util.Map;
import java.util.UUID;

/**
 * A sandbox about to be recorded and started: its source (a template, or a snapshot it is restored
 * from, which is then also what it is based on and where its disk layer sits), the host it goes
 * to, its resources and settings. Everything in it has been checked.
 */
record NewSandbox(
        UUID teamId,
        UUID templateId,
        UUID snapshotId,
        UUID imageId,
        UUID hostId,
        int vcpus,
        int memoryMb,
        long diskSizeMb,
        int timeoutSec,
        boolean autoPause,
        boolean autoResume,
        Map<String, String> env,
        Map<String, String> metadata,
        NetworkSettings network) {}
