package dev.amber.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Samples in milliseconds and their percentiles. */
final class Stats {

    private final List<Double> samples = new ArrayList<>();

    void add(double millis) {
        samples.add(millis);
    }

    double percentile(double p) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double median() {
        return percentile(50);
    }

    int count() {
        return samples.size();
    }
}
