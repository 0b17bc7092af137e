package dev.amber.server.sandbox;

import dev.amber.server.host.HostException;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Pauses sandboxes nobody uses, so that they cost nothing and lose nothing: every
 * {@link #PERIOD}, a running sandbox with {@code autoPause} whose last activity is older than its
 * {@code timeoutSec} is paused, the reason recorded (see {@link SandboxPauses#pauseIdle}). Calls in
 * flight count as activity while they last. Closing lets a pause in flight finish (bounded by
 * {@link #CLOSE_WAIT}): stopping halfway would leave the sandbox in {@code pausing} until a restart.
 */
public final class InactivityReaper implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger("amber.sandbox");

    private final SandboxRepository sandboxes;
    private final SandboxPauses pauses;
    private final CallsInFlight calls;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("inactivity-reaper").factory());
    private volatile boolean closing;

    public InactivityReaper(SandboxRepository sandboxes, SandboxPauses pauses, CallsInFlight calls) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.pauses = requireNonNull(pauses, "pauses");
        this.calls = requireNonNull(calls, "calls");
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::reap, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round. It never throws: a failed round must not end the schedule. */
    private void reap() {
        try {
            sandboxes.touch(calls.sandboxes());
            for (SandboxRecord idle : sandboxes.idle()) {
                if (closing) {
                    return;
                }
                pause(idle);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "inactivity round failed: {0}", e.toString());
        }
    }

    private void pause(SandboxRecord idle) {
        try {
            pauses.pauseIdle(idle);
        } catch (HostException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not auto-pause sandbox {0}; it stays running: {1}",
                    idle.wireId(), e.getMessage());
        }
    }

    /** Starts no new pause, and waits for the one in flight. */
    @Override
    public void close() {
        closing = true;
        timer.shutdown();
        try {
            if (!timer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "an auto-pause still runs after {0} s; closing anyway",
                        CLOSE_WAIT.toSeconds());
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timer.shutdownNow();
        }
    }
}
