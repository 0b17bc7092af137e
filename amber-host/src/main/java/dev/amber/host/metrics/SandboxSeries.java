package dev.amber.host.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A sandbox's history at every {@link Resolution}; every sample feeds all of them. Thread-safe. */
public final class SandboxSeries {

    private final Map<Resolution, SampleRing> rings = new EnumMap<>(Resolution.class);

    public SandboxSeries() {
        for (Resolution resolution : Resolution.values()) {
            rings.put(resolution, new SampleRing(resolution));
        }
    }

    public synchronized void add(MetricSample sample) {
        rings.values().forEach(ring -> ring.add(sample));
    }

    /** Oldest first. */
    public synchronized List<MetricSample> points(Resolution resolution) {
        return rings.get(resolution).points();
    }
}
