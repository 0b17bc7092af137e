package dev.amber.server.metrics;

import dev.amber.api.error.ApiException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How far back {@code GET /v1/sandboxes/{id}/metrics} looks: each range is one tier the host keeps. */
enum MetricsRange {
    TEN_MINUTES("10m", 500),
    TWO_HOURS("2h", 30_000),
    DAY("24h", 300_000);

    private final String wireName;
    private final long intervalMillis;

    MetricsRange(String wireName, long intervalMillis) {
        this.wireName = wireName;
        this.intervalMillis = intervalMillis;
    }

    String wireName() {
        return wireName;
    }

    /** Time between points, as the host samples (10m) or averages (2h, 24h). */
    long intervalMillis() {
        return intervalMillis;
    }

    /** The {@code range} query parameter; absent means the last 10 minutes. 400 listing the valid ones otherwise. */
    static MetricsRange parse(String value) {
        if (value == null) {
            return TEN_MINUTES;
        }
        return Arrays.stream(values()).filter(range -> range.wireName.equals(value)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("unknown range \"" + value + "\"; one of "
                        + Arrays.stream(values()).map(MetricsRange::wireName).collect(Collectors.joining(", "))));
    }
}
