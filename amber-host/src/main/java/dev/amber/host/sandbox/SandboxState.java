package dev.amber.host.sandbox;

/** Where a sandbox is in its life on this host. */
public enum SandboxState {
    CREATING,
    RUNNING,
    STOPPING,
    STOPPED,
    /** QEMU exited without being asked to; the sandbox's crash reason says why. */
    CRASHED,
    /** Saved on the host with no QEMU running; {@link SandboxRuntime#resume} brings it back. */
    PAUSED
}
