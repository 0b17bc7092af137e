package dev.amber.host.grpc;

import dev.amber.host.metrics.MetricSample;
import dev.amber.host.metrics.Resolution;
import dev.amber.host.metrics.SandboxSeries;
import dev.amber.proto.host.v1.MetricPoint;
import dev.amber.proto.host.v1.MetricSeries;
import dev.amber.proto.host.v1.SandboxMetricsRequest;
import dev.amber.proto.host.v1.SandboxMetricsResponse;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A sandbox's sampled history as the SandboxMetrics call returns it. */
final class MetricsReplies {

    private MetricsReplies() {
    }

    static SandboxMetricsResponse of(SandboxMetricsRequest request, Optional<SandboxSeries> series) {
        SandboxMetricsResponse.Builder reply = SandboxMetricsResponse.newBuilder();
        for (Resolution resolution : requested(request.getRange())) {
            MetricSeries.Builder tier = MetricSeries.newBuilder()
                    .setRange(resolution.range())
                    .setIntervalMs(resolution.interval().toMillis());
            series.map(history -> history.points(resolution)).orElse(List.of())
                    .forEach(sample -> tier.addPoints(point(sample)));
            reply.addSeries(tier);
        }
        return reply.build();
    }

    private static List<Resolution> requested(String range) {
        if (range.isEmpty()) {
            return List.of(Resolution.values());
        }
        return List.of(Resolution.ofRange(range).orElseThrow(() -> new IllegalArgumentException(
                "unknown metrics range \"" + range + "\"; one of " + Arrays.stream(Resolution.values())
                        .map(Resolution::range).collect(Collectors.joining(", ")))));
    }

    private static MetricPoint point(MetricSample sample) {
        return MetricPoint.newBuilder()
                .setTimeMs(sample.timeMillis())
                .setCpuPercent(sample.cpuPercent())
                .setMemoryBytes(sample.memoryBytes())
                .setDiskBytes(sample.diskBytes())
                .build();
    }
}
