package dev.amber.host.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * One tier of a sandbox's history: samples averaged per time bucket (aligned to the epoch), the
 * newest {@link Resolution#capacity()} buckets kept in primitive arrays allocated once, so the
 * memory it takes never grows with uptime. The bucket still filling counts as the newest point.
 * Not thread-safe: {@link SandboxSeries} guards it.
 */
final class SampleRing {

    private final long bucketMillis;
    private final long[] times;
    private final double[] cpu;
    private final long[] memory;
    private final long[] disk;
    private int next;
    private int size;

    private long openBucket;
    private int openCount;
    private double cpuSum;
    private long memorySum;
    private long diskSum;

    SampleRing(Resolution resolution) {
        this.bucketMillis = resolution.interval().toMillis();
        int capacity = resolution.capacity();
        this.times = new long[capacity];
        this.cpu = new double[capacity];
        this.memory = new long[capacity];
        this.disk = new long[capacity];
    }

    void add(MetricSample sample) {
        long bucket = Math.floorDiv(sample.timeMillis(), bucketMillis) * bucketMillis;
        if (openCount > 0 && bucket != openBucket) {
            closeBucket();
        }
        openBucket = bucket;
        openCount++;
        cpuSum += sample.cpuPercent();
        memorySum += sample.memoryBytes();
        diskSum += sample.diskBytes();
    }

    /** Oldest first; at most the capacity, the open bucket included. */
    List<MetricSample> points() {
        int capacity = times.length;
        int kept = openCount > 0 ? Math.min(size, capacity - 1) : size;
        List<MetricSample> points = new ArrayList<>(kept + 1);
        for (int i = size - kept; i < size; i++) {
            int slot = Math.floorMod(next - size + i, capacity);
            points.add(new MetricSample(times[slot], cpu[slot], memory[slot], disk[slot]));
        }
        if (openCount > 0) {
            points.add(openPoint());
        }
        return points;
    }

    private MetricSample openPoint() {
        return new MetricSample(openBucket, cpuSum / openCount, memorySum / openCount, diskSum / openCount);
    }

    private void closeBucket() {
        MetricSample average = openPoint();
        times[next] = average.timeMillis();
        cpu[next] = average.cpuPercent();
        memory[next] = average.memoryBytes();
        disk[next] = average.diskBytes();
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
        openCount = 0;
        cpuSum = 0;
        memorySum = 0;
        diskSum = 0;
    }
}
