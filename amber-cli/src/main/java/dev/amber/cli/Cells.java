package dev.amber.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Values as {@link Table} cells: absent ones as {@code -}, so every column stays readable. */
public final class Cells {

    static final String ABSENT = "-";

    private static final double MEBIBYTE = 1024 * 1024;

    private Cells() {}

    public static String text(String value) {
        return value == null || value.isEmpty() ? ABSENT : value;
    }

    /** An instant to the second, in UTC: {@code 2026-01-01T00:00:00Z}. */
    public static String time(Instant value) {
        return value == null ? ABSENT : value.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A size in bytes as MiB with one decimal: {@code 12.5 MiB}. */
    public static String bytes(Long value) {
        return value == null ? ABSENT : String.format(Locale.ROOT, "%.1f MiB", value / MEBIBYTE);
    }
}
