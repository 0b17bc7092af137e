package dev.amber.host.vm;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Keeps a guest's serial console file within a fixed size, whatever the guest writes to its
 * serial port. QEMU's file chardev cannot rotate, so QEMU appends ({@code append=on}) and, while it
 * runs, the host looks at the size: past {@link #MAX_BYTES} the newest half moves to
 * {@code console.log.1} and {@code console.log} is truncated, so QEMU's next write lands at its
 * start. On disk: at most {@code 1.5 × MAX_BYTES} plus what arrives between two looks.
 */
public final class ConsoleLog {

    public static final long MAX_BYTES = 2L * 1024 * 1024;
    private static final System.Logger LOG = System.getLogger("amber.runtime");
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private ConsoleLog() {}

    /** Before QEMU starts: last run's console goes, as QEMU's own truncation did before it appended. */
    static void clear(Path console) throws IOException {
        Files.deleteIfExists(console);
        Files.deleteIfExists(rotated(console));
    }

    /** Caps {@code console} until {@code qemu} exits, on a virtual thread. */
    static void capWhileAlive(Path console, Process qemu) {
        Thread.ofVirtual().name("console-cap-" + qemu.pid()).start(() -> {
            try {
                while (qemu.isAlive()) {
                    rotateIfOver(console, MAX_BYTES);
                    Thread.sleep(CHECK_INTERVAL);
                }
            } catch (IOException e) {
                // gone with its sandbox, or not this account's to truncate: say so once and stop looking
                LOG.log(System.Logger.Level.WARNING, "console " + console + " is no longer capped: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Rotates {@code console} when it is over {@code maxBytes}; true if it did. */
    static boolean rotateIfOver(Path console, long maxBytes) throws IOException {
        long size;
        try {
            size = Files.size(console);
        } catch (NoSuchFileException e) {
            return false; // QEMU has not created it yet
        }
        if (size <= maxBytes) {
            return false;
        }
        long keep = maxBytes / 2;
        try (FileChannel log = FileChannel.open(console, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel previous = FileChannel.open(rotated(console), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            log.transferTo(size - keep, keep, previous);
            log.truncate(0);
        }
        return true;
    }

    /** Where the newest part of an over-long console went. */
    public static Path rotated(Path console) {
        return console.resolveSibling(console.getFileName() + ".1");
    }
}
