package dev.amber.api.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/sandboxes}. Source: at most one of {@code template}, {@code image},
 * {@code snapshotId}; none means the default template. Absent numbers take the source's defaults.
 * {@code timeoutSec} is inactivity before an auto-pause (0 = never); {@code autoResume} (default true)
 * lets an exec or file call wake a paused sandbox; {@code wait} false answers at once, in state
 * {@code creating}, while the sandbox boots (calls on it wait for the boot to end).
 */
public record CreateSandboxRequest(
        String template,
        Map<String, Object> image,
        String snapshotId,
        List<String> entrypoint,
        Integer vcpus,
        Integer memoryMb,
        Long diskSizeMb,
        Integer timeoutSec,
        Boolean autoPause,
        Map<String, String> env,
        Map<String, String> metadata,
        NetworkSettings network,
        Boolean autoResume,
        @JsonProperty("wait") Boolean waitUntilRunning) {}
