package dev.amber.host.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The tiers of a sandbox's history: how far back each reaches, and how fine it is. */
public enum Resolution {
    /** Every sample of the last 10 minutes. */
    TEN_MINUTES("10m", Duration.ofMillis(500), 1200),
    /** 30-second averages over 2 hours. */
    TWO_HOURS("2h", Duration.ofSeconds(30), 240),
    /** 5-minute averages over 24 hours. */
    DAY("24h", Duration.ofMinutes(5), 288);

    private final String range;
    private final Duration interval;
    private final int capacity;

    Resolution(String range, Duration interval, int capacity) {
        this.range = range;
        this.interval = interval;
        this.capacity = capacity;
    }

    /** As the API names it: "10m", "2h", "24h". */
    public String range() {
        return range;
    }

    public Duration interval() {
        return interval;
    }

    /** Points kept. */
    public int capacity() {
        return capacity;
    }

    public static Optional<Resolution> ofRange(String range) {
        return Arrays.stream(values()).filter(resolution -> resolution.range.equals(range)).findFirst();
    }
}
