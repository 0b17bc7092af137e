package dev.amber.api.sandbox;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/sandboxes}. Source: at most one of {@code template}, {@code image},
 * {@code snapshotId}; none means the default template. Absent numbers take the source's defaults.
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
        NetworkSettings network) {}
