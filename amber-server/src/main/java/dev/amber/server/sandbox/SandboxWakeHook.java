package dev.amber.server.sandbox;

/** Told when a sandbox has just started running: created, or resumed (patches are applied then). */
@FunctionalInterface
public interface SandboxWakeHook {

    /** {@code sandbox} as it was recorded before it woke; it runs now. Must not throw. */
    void woke(SandboxRecord sandbox);
}
