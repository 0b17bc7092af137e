package dev.amber.host.metrics;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Samples every running sandbox every 500 ms on one thread: CPU of its QEMU process (from the
 * change in its CPU time), QEMU's resident memory, and the bytes its disk overlay occupies. A
 * sandbox that stops running (paused, destroyed) is no longer sampled; its history stays until
 * {@link #forget} (a paused sandbox's history is still asked for), and it continues when it runs again.
 */
public final class MetricsSampler implements AutoCloseable {

    public static final Duration PERIOD = Resolution.TEN_MINUTES.interval();
    private static final System.Logger LOG = System.getLogger("amber.metrics");

    private final Supplier<Collection<SampleTarget>> targets;
    private final Map<String, SandboxSeries> series = new ConcurrentHashMap<>();
    /** The previous reading of each sandbox's QEMU, to turn CPU time into a rate. */
    private final Map<String, ProcessUsage> previous = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("metrics-sampler").daemon().factory());

    private MetricsSampler(Supplier<Collection<SampleTarget>> targets) {
        this.targets = requireNonNull(targets, "targets");
    }

    /** Starts sampling what {@code targets} lists each round: the sandboxes running at that moment. */
    public static MetricsSampler start(Supplier<Collection<SampleTarget>> targets) {
        MetricsSampler sampler = new MetricsSampler(targets);
        sampler.timer.scheduleAtFixedRate(sampler::sampleAll, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    /** The sandbox's history, if it was ever sampled since this host agent started. */
    public Optional<SandboxSeries> series(String sandboxId) {
        return Optional.ofNullable(series.get(sandboxId));
    }

    /** Drops a destroyed sandbox's history. */
    public void forget(String sandboxId) {
        series.remove(sandboxId);
        previous.remove(sandboxId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void sampleAll() {
        try {
            Collection<SampleTarget> running = targets.get();
            Set<String> ids = running.stream().map(SampleTarget::sandboxId).collect(Collectors.toSet());
            previous.keySet().retainAll(ids); // one that stopped starts from a fresh reading when it runs again
            long now = System.currentTimeMillis();
            for (SampleTarget target : running) {
                sample(target, now);
            }
        } catch (RuntimeException e) {
            // a failed round must not end the schedule
            LOG.log(Level.WARNING, "metrics sampling round failed", e);
        }
    }

    private void sample(SampleTarget target, long now) {
        ProcessUsage usage;
        long diskBytes;
        try {
            usage = ProcessUsage.read(target.pid());
            diskBytes = AllocatedBytes.of(target.disk());
        } catch (IOException e) {
            return; // exiting, or its overlay being swapped by a snapshot: the next round sees it again
        }
        ProcessUsage before = previous.put(target.sandboxId(), usage);
        if (before == null || before.pid() != usage.pid()) {
            return; // a first reading of this process: no rate yet
        }
        series.computeIfAbsent(target.sandboxId(), id -> new SandboxSeries())
                .add(new MetricSample(now, usage.cpuPercentSince(before), usage.residentBytes(), diskBytes));
    }
}
