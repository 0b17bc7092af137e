package dev.amber.server.template;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A run step's output on its way into the build log while the step runs: whole lines, written every
 * {@link #FLUSH_MILLIS} (or as soon as {@link #FLUSH_BYTES} wait), so a follower sees a long step
 * progress without a log row per line. Closing it writes what is left, partial lines too.
 */
final class StepOutput implements AutoCloseable {

    static final long FLUSH_MILLIS = 500;
    static final int FLUSH_BYTES = 64 * 1024;

    private final BuildRepository builds;
    private final UUID buildId;
    private final int step;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread ticker;

    StepOutput(BuildRepository builds, UUID buildId, int step) {
        this.builds = builds;
        this.buildId = buildId;
        this.step = step;
        this.ticker = Thread.ofVirtual().name("step-output-" + step).start(this::tick);
    }

    /** Output of {@code stream} ("stdout" or "stderr"). */
    synchronized void accept(String stream, byte[] data) {
        ("stderr".equals(stream) ? stderr : stdout).writeBytes(data);
        if (stdout.size() + stderr.size() >= FLUSH_BYTES) {
            flush(false);
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            flush(true);
        }
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(FLUSH_MILLIS);
                synchronized (this) {
                    flush(false);
                }
            }
        } catch (InterruptedException e) {
            // the step is over: close() writes the rest
        }
    }

    private void flush(boolean all) {
        writeLines("stdout", stdout, all);
        writeLines("stderr", stderr, all);
    }

    /** Writes the buffer's whole lines (all of it when {@code all}, or when it is full without a newline). */
    private void writeLines(String stream, ByteArrayOutputStream buffer, boolean all) {
        byte[] bytes = buffer.toByteArray();
        int end = all || bytes.length >= FLUSH_BYTES ? bytes.length : lastNewline(bytes) + 1;
        if (end == 0) {
            return;
        }
        builds.log(buildId, step, stream, new String(bytes, 0, end, StandardCharsets.UTF_8));
        buffer.reset();
        buffer.write(bytes, end, bytes.length - end);
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
