package dev.amber.server.sandbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the history of ended sandboxes from piling up: at start and every {@link #PERIOD}, the rows
 * of sandboxes stopped for longer than the history period ({@code AMBER_HISTORY_DAYS}) go, with
 * their metrics (see {@link SandboxRepository#pruneStopped}). The audit log keeps its own retention.
 */
public final class HistoryPruner implements AutoCloseable {

    static final Duration PERIOD = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger("amber.sandbox");

    private final SandboxRepository sandboxes;
    private final Duration history;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("history-pruner").factory());

    public HistoryPruner(SandboxRepository sandboxes, Duration history) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.history = requireNonNull(history, "history");
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::prune, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round. It never throws: a failed round must not end the schedule. */
    private void prune() {
        try {
            int pruned = sandboxes.pruneStopped(history);
            if (pruned > 0) {
                LOG.log(System.Logger.Level.INFO, "pruned {0} sandboxes stopped more than {1} days ago", pruned,
                        history.toDays());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not prune stopped sandboxes: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
