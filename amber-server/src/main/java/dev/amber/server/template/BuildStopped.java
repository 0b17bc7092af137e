package dev.amber.server.template;

/** Why a build stops before its end: a step failed, or someone cancelled it. */
final class BuildStopped extends Exception {

    private static final long POLL_INTERVAL_MS = 500;

    final boolean cancelled;

    BuildStopped(String message, boolean cancelled) {
        super(message);
        this.cancelled = cancelled;
    }

    /** Waits between two polls for {@code awaited}; an interrupt (the server closing) stops the build. */
    static void pause(String awaited) throws BuildStopped {
        try {
            Thread.sleep(POLL_INTERVAL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildStopped("interrupted while waiting for " + awaited, false);
        }
    }
}
