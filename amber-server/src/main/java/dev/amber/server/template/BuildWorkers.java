package dev.amber.server.template;

import dev.amber.server.Ids;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The workers that take builds from the queue, {@code count} at a time. Every
 * {@link #REQUEUE_EVERY}, builds a gone server process (this one before a restart, or another
 * replica) was running go back to the queue (or fail after their last attempt), so a crash never
 * leaves one stuck "running". A worker sleeps while the queue is empty and wakes when a build is
 * queued.
 */
public final class BuildWorkers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.build");
    /** A build interrupted by a server crash is tried this many times in all. */
    static final int MAX_ATTEMPTS = 2;
    private static final long IDLE_POLL_MS = 2000;
    private static final Duration REQUEUE_EVERY = Duration.ofSeconds(5);

    private final BuildRepository builds;
    private final BuildRunner runner;
    private final int count;
    private final List<Thread> workers = new ArrayList<>();
    private final Object queued = new Object();
    private final ScheduledExecutorService requeuer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("build-requeuer").factory());
    private volatile boolean closed;

    BuildWorkers(BuildRepository builds, BuildRunner runner, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one build worker, got " + count);
        }
        this.builds = requireNonNull(builds, "builds");
        this.runner = requireNonNull(runner, "runner");
        this.count = count;
    }

    void start() {
        requeueInterrupted();
        requeuer.scheduleWithFixedDelay(this::requeueInterrupted, REQUEUE_EVERY.toMillis(), REQUEUE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        for (int i = 0; i < count; i++) {
            workers.add(Thread.ofPlatform().name("build-worker-" + i).daemon().start(this::work));
        }
    }

    private void requeueInterrupted() {
        try {
            List<BuildRecord> interrupted = builds.requeueInterrupted(MAX_ATTEMPTS);
            for (BuildRecord build : interrupted) {
                LOG.log(System.Logger.Level.WARNING, "build {0} was interrupted by a server stop (attempt {1} of {2})",
                        Ids.BUILD.format(build.id()), build.attempts(), MAX_ATTEMPTS);
                builds.log(build.id(), null, "system", "the server stopped during attempt " + build.attempts()
                        + (build.attempts() < MAX_ATTEMPTS ? "; queued again\n" : "; giving up\n"));
            }
            if (!interrupted.isEmpty()) {
                wake();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not requeue interrupted builds: {0}", e.getMessage());
        }
    }

    /** A build was queued: a sleeping worker takes it now rather than at its next poll. */
    void wake() {
        synchronized (queued) {
            queued.notifyAll();
        }
    }

    private void work() {
        while (!closed) {
            Optional<BuildRecord> build;
            try {
                build = builds.claimNext();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not take a build from the queue: {0}", e.getMessage());
                build = Optional.empty();
            }
            if (build.isPresent()) {
                runner.run(build.get());
                continue;
            }
            synchronized (queued) {
                try {
                    queued.wait(IDLE_POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Stops taking builds. A build in progress is left as it is: it ends with the server, and once
     * this replica is gone the next start (or another replica) queues it again.
     */
    @Override
    public void close() {
        closed = true;
        requeuer.shutdownNow();
        wake();
    }
}
