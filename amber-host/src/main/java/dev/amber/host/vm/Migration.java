package dev.amber.host.vm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Saving and loading a machine's state with QEMU's migration, to and from files the host opens.
 * With {@code ramInFile} the RAM stays in its memory-backend file and only devices are streamed
 * ({@code x-ignore-shared}); otherwise the RAM travels in the stream too.
 */
public final class Migration {

    /** QEMU's default cap (128 MiB/s) would make a save of a few hundred MiB take seconds. */
    private static final long UNLIMITED_BANDWIDTH = 64L << 30;

    private Migration() {}

    /** Writes the stopped machine's state to {@code file}; returns once QEMU reports completion. */
    public static void save(QmpClient qmp, Path qmpFdSocket, Path file, boolean ramInFile, Duration deadline)
            throws IOException {
        configure(qmp, ramInFile);
        qmp.migrateSetMaxBandwidth(UNLIMITED_BANDWIDTH);
        try (FdPassingMonitor monitor = FdPassingMonitor.connect(qmpFdSocket)) {
            monitor.migrateTo(file);
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            QmpClient.MigrationStatus status = qmp.queryMigrate();
            switch (status.status()) {
                case "completed" -> {
                    awaitRunState(qmp, end, deadline);
                    return;
                }
                case "failed", "cancelled" -> throw new IOException("saving the machine failed: "
                        + status.errorDescription());
                default -> pause(end, "saving the machine", deadline);
            }
        }
    }

    /** Loads {@code file} into a QEMU started with {@code -incoming defer}; the VM is left paused. */
    public static void load(QmpClient qmp, Path qmpFdSocket, Path file, boolean ramInFile, QemuProcess qemu,
                            Duration deadline) throws IOException {
        configure(qmp, ramInFile);
        try (FdPassingMonitor monitor = FdPassingMonitor.connect(qmpFdSocket)) {
            monitor.migrateFrom(file);
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            if (!qemu.isAlive()) {
                throw new IOException("QEMU " + qemu.exitDescription() + " while loading the saved machine");
            }
            if (!qmp.queryStatus().equals("inmigrate")) {
                return;
            }
            pause(end, "loading the saved machine", deadline);
        }
    }

    /**
     * QEMU reports a migration completed a moment before the VM leaves the finish-migrate state,
     * and refuses {@code cont} until it has.
     */
    private static void awaitRunState(QmpClient qmp, long end, Duration deadline) throws IOException {
        while (qmp.queryStatus().equals("finish-migrate")) {
            pause(end, "finishing the save", deadline);
        }
    }

    private static void configure(QmpClient qmp, boolean ramInFile) throws IOException {
        qmp.migrateSetCapability("x-ignore-shared", ramInFile);
    }

    private static void pause(long end, String what, Duration deadline) throws IOException {
        if (System.nanoTime() > end) {
            throw new IOException(what + " did not finish within " + deadline);
        }
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted " + what);
        }
    }
}
