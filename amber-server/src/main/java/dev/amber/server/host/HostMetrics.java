package dev.amber.server.host;

import dev.amber.api.metrics.SandboxMetrics;

import java.util.List;

/** Resource use a host samples of its sandboxes. */
public interface HostMetrics {

    /**
     * The sandbox's resource use over time as its host sampled it (while it ran; kept while it is
     * paused): the tier of {@code range} ("10m", "2h", "24h"), or every tier when null.
     */
    List<SandboxMetrics> series(String sandboxId, String range) throws HostException;
}
