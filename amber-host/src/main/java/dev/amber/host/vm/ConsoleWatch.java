package dev.amber.host.vm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Waits for a line on a guest's serial console file: the probe's and the baseline's signal of life. */
public final class ConsoleWatch {

    private ConsoleWatch() {}

    /**
     * Returns true once {@code marker} appears in {@code console}; false if QEMU exits first or
     * {@code deadline} passes.
     */
    public static boolean await(Path console, String marker, QemuProcess qemu, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(console)
                    && new String(Files.readAllBytes(console), StandardCharsets.UTF_8).contains(marker)) {
                return true;
            }
            if (!qemu.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the console");
            }
        }
        return false;
    }
}
