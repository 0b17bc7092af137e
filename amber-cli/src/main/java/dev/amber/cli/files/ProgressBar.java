package dev.amber.cli.files;

import dev.amber.sdk.TransferProgress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A transfer's progress on one terminal line: a bar, the percentage, bytes so far and the rate.
 * Redrawn at most every {@link #REDRAW_NANOS}; shown only when there is a terminal to redraw on.
 */
final class ProgressBar implements TransferProgress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean visible;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private long lastDone;
    private long lastTotal = -1;

    ProgressBar(PrintStream out, boolean visible) {
        this.out = out;
        this.visible = visible;
    }

    /** On stderr, when it is a terminal. */
    static ProgressBar onStderr() {
        return new ProgressBar(System.err, System.console() != null && System.console().isTerminal());
    }

    @Override
    public synchronized void update(long doneBytes, long totalBytes) {
        lastDone = doneBytes;
        lastTotal = totalBytes;
        long now = System.nanoTime();
        if (visible && now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            out.print("\r" + line(doneBytes, totalBytes, now));
            out.flush();
        }
    }

    /** Draws the final state and ends the line. */
    synchronized void finish() {
        if (visible) {
            out.println("\r" + line(lastDone, lastTotal, System.nanoTime()));
        }
    }

    String line(long done, long total, long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String rate = size(Math.round(done / seconds)) + "/s";
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s  %s", size(done), rate);
        }
        int filled = (int) Math.min(WIDTH, WIDTH * done / total);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %s / %s  %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                Math.min(100, 100 * done / total), size(done), size(total), rate);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
