package dev.amber.host.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SandboxSeriesTest {

    private static final long START = 1_700_000_000_000L - 1_700_000_000_000L % 300_000; // on a 5 min boundary
    private static final int SAMPLES_PER_HOUR = 7200;

    /** Sample {@code i}: CPU, memory and disk follow patterns whose bucket averages are easy to compute. */
    private static MetricSample sample(int i) {
        return new MetricSample(START + i * 500L, i % 200, 1_000_000L + i, 5_000L * (i / 600));
    }

    @Test
    void twentyFiveHoursOfSamplesKeepFixedSizedTiersOfCorrectAverages() {
        SandboxSeries series = new SandboxSeries();
        int total = 25 * SAMPLES_PER_HOUR;
        for (int i = 0; i < total; i++) {
            series.add(sample(i));
            if (i == SAMPLES_PER_HOUR) {
                assertThat(series.points(Resolution.TEN_MINUTES)).hasSize(1200);
                assertThat(series.points(Resolution.TWO_HOURS)).hasSize(121); // 120 full buckets and the open one
            }
        }

        List<MetricSample> raw = series.points(Resolution.TEN_MINUTES);
        assertThat(raw).hasSize(1200);
        for (int k = 0; k < raw.size(); k++) {
            assertThat(raw.get(k)).isEqualTo(sample(total - 1200 + k));
        }

        assertAverages(series.points(Resolution.TWO_HOURS), 240, 60, total);
        assertAverages(series.points(Resolution.DAY), 288, 600, total);
    }

    @Test
    void aBucketStillFillingIsTheNewestPoint() {
        SandboxSeries series = new SandboxSeries();
        for (int i = 0; i < 70; i++) { // 35 s: one full 30 s bucket and 10 samples of the next
            series.add(sample(i));
        }
        List<MetricSample> points = series.points(Resolution.TWO_HOURS);
        assertThat(points).extracting(MetricSample::timeMillis).containsExactly(START, START + 30_000);
        assertThat(points.get(1).cpuPercent()).isCloseTo(64.5, within(1e-9)); // samples 60..69
        assertThat(series.points(Resolution.DAY)).hasSize(1);
    }

    @Test
    void aGapLeavesNoEmptyBuckets() {
        SandboxSeries series = new SandboxSeries();
        series.add(new MetricSample(START, 10, 100, 1));
        series.add(new MetricSample(START + 3_600_000, 30, 300, 3)); // paused for an hour
        assertThat(series.points(Resolution.TWO_HOURS)).containsExactly(
                new MetricSample(START, 10, 100, 1), new MetricSample(START + 3_600_000, 30, 300, 3));
    }

    /** Each point averages {@code perBucket} consecutive samples, and the points are the newest {@code size} buckets. */
    private static void assertAverages(List<MetricSample> points, int size, int perBucket, int total) {
        assertThat(points).hasSize(size);
        int firstBucket = total / perBucket - size;
        for (int k = 0; k < size; k++) {
            int from = (firstBucket + k) * perBucket;
            double cpu = 0;
            long memory = 0;
            long disk = 0;
            for (int i = from; i < from + perBucket; i++) {
                cpu += sample(i).cpuPercent();
                memory += sample(i).memoryBytes();
                disk += sample(i).diskBytes();
            }
            MetricSample point = points.get(k);
            assertThat(point.timeMillis()).isEqualTo(START + from * 500L);
            assertThat(point.cpuPercent()).isCloseTo(cpu / perBucket, within(1e-9));
            assertThat(point.memoryBytes()).isEqualTo(memory / perBucket);
            assertThat(point.diskBytes()).isEqualTo(disk / perBucket);
        }
    }
}
