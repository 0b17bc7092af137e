package dev.amber.server.sandbox;

/**
 * Told just before a sandbox's host stops serving its metrics live, so they can be kept elsewhere
 * (the metrics archive). Metrics never decide an operation: neither method may throw.
 */
public interface SandboxMetricsKeeper {

    /** {@code sandbox} has just been paused on its host, and is still recorded as pausing. */
    void paused(SandboxRecord sandbox);

    /** {@code sandbox} is about to be destroyed on its host. */
    void destroying(SandboxRecord sandbox);
}
