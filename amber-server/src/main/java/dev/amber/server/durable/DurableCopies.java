package dev.amber.server.durable;

import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.StoredState;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxRepository;
import dev.amber.server.snapshot.SnapshotRecord;
import dev.amber.server.snapshot.SnapshotRepository;
import org.jdbi.v3.core.Jdbi;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Makes saved state durable: every ready snapshot, and every paused sandbox's pause, is copied by
 * its host to the object store, in the background, after the user's call was answered. A sweep
 * every {@code period} finds what is not copied yet on a reachable host; {@link #WORKERS} copies
 * run at once (the host bounds their bandwidth). A failed copy is recorded ({@code durableError})
 * and tried again later, waiting longer after each failure. Several server replicas may sweep: a
 * state is copied by one at a time ({@link StoreLocks}).
 */
public final class DurableCopies implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.durable");
    static final int WORKERS = 2;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration LAST_RETRY = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final SnapshotRepository snapshots;
    private final SandboxRepository sandboxes;
    private final HostDirectory hosts;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("durable-sweep").factory());
    private final ExecutorService copiers = Executors.newFixedThreadPool(WORKERS,
            Thread.ofPlatform().daemon().name("durable-copy-", 1).factory());
    private final Set<UUID> copying = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Retry> retries = new ConcurrentHashMap<>();

    public DurableCopies(Jdbi jdbi, SnapshotRepository snapshots, SandboxRepository sandboxes, HostDirectory hosts) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.hosts = requireNonNull(hosts, "hosts");
    }

    public void start(Duration period) {
        sweeper.scheduleWithFixedDelay(this::sweep, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep. It never throws: a failed sweep must not end the schedule. */
    void sweep() {
        try {
            for (SnapshotRecord snapshot : snapshots.notDurable()) {
                offer(snapshot.id(), snapshot.hostId(), () -> copy(snapshot));
            }
            for (SandboxRecord paused : sandboxes.pausedNotStored()) {
                offer(paused.id(), paused.hostId(), () -> copy(paused));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "durable copies: a sweep failed: " + e.getMessage(), e);
        }
    }

    private void offer(UUID id, UUID hostId, Runnable copy) {
        Retry retry = retries.get(id);
        if (hostId == null || !hosts.reachable(hostId) || (retry != null && Instant.now().isBefore(retry.at()))
                || !copying.add(id)) {
            return;
        }
        copiers.execute(() -> {
            try {
                jdbi.useHandle(handle -> {
                    if (!StoreLocks.tryCopying(handle)) {
                        return; // the collector runs: next sweep
                    }
                    try {
                        if (StoreLocks.tryClaim(handle, id)) {
                            try {
                                copy.run();
                            } finally {
                                StoreLocks.release(handle, id);
                            }
                        }
                    } finally {
                        StoreLocks.doneCopying(handle);
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "durable copies: copying " + id + " failed: " + e.getMessage(), e);
            } finally {
                copying.remove(id);
            }
        });
    }

    private void copy(SnapshotRecord snapshot) {
        try {
            StoredState stored = hosts.require(snapshot.hostId()).snapshots().store(snapshot.wireId());
            snapshots.markDurable(snapshot.id(), true, null);
            retries.remove(snapshot.id());
            LOG.log(Level.INFO, "{0} {1} is durable: {2}", snapshot.kind().wireName(), snapshot.wireId(), describe(stored));
        } catch (HostException | RuntimeException e) {
            snapshots.markDurable(snapshot.id(), false, e.getMessage());
            failed(snapshot.id(), snapshot.wireId(), e);
        }
    }

    private void copy(SandboxRecord paused) {
        try {
            StoredState stored = hosts.require(paused.hostId()).sandboxes().store(paused.wireId());
            retries.remove(paused.id());
            if (sandboxes.markPauseStored(paused.id(), stored.storedId())) {
                LOG.log(Level.INFO, "paused sandbox {0} is durable: {1}", paused.wireId(), describe(stored));
            } else {
                LOG.log(Level.INFO, "sandbox {0} left its pause while it was stored; the copy is left to the collector",
                        paused.wireId());
            }
        } catch (HostException | RuntimeException e) {
            sandboxes.markPauseNotStored(paused.id(), e.getMessage());
            failed(paused.id(), paused.wireId(), e);
        }
    }

    private void failed(UUID id, String wireId, Exception e) {
        Retry retry = retries.merge(id, new Retry(FIRST_RETRY, Instant.now().plus(FIRST_RETRY)), (old, fresh) -> {
            Duration delay = old.delay().multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : old.delay().multipliedBy(2);
            return new Retry(delay, Instant.now().plus(delay));
        });
        LOG.log(Level.WARNING, "could not make {0} durable (next try in {1} s): {2}", wireId, retry.delay().toSeconds(),
                e.getMessage());
    }

    private static String describe(StoredState stored) {
        return stored.bytes() + " bytes, " + stored.uploadedBytes() + " sent, " + stored.durationMs() + " ms";
    }

    /** When to try a failed copy again, and how long the last wait was. */
    private record Retry(Duration delay, Instant at) {}

    @Override
    public void close() {
        sweeper.shutdownNow();
        copiers.shutdownNow();
    }
}
