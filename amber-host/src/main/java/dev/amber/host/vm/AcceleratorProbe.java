package dev.amber.host.vm;

import dev.amber.host.image.GuestImage;
import dev.amber.host.process.LogTail;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Chooses KVM only if a real Linux guest boots on it. /dev/kvm existing proves nothing: on
 * PVM-based hosts it exists and kills stock kernels ("KVM internal error. Suberror: 1"). The probe
 * boots our kernel and initramfs under KVM with a deadline and looks for the initramfs's first line.
 * The verdict is cached per host boot, kernel and QEMU binary, since none of them change under us.
 */
public final class AcceleratorProbe {

    /** The accelerator and why it was chosen, for logs and /v1/hosts. */
    public record Choice(Accelerator accelerator, String reason) {}

    static final String MARKER = "amber-initramfs: start";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Path KVM_DEVICE = Path.of("/dev/kvm");

    private final Path cacheDir;

    public AcceleratorProbe(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The accelerator for machines of {@code qemu}'s q35 type booting {@code image}. */
    public Choice choose(GuestImage image, QemuRelease qemu) throws IOException {
        String forced = System.getenv("AMBER_ACCELERATOR");
        if (forced != null && !forced.isBlank()) {
            return new Choice(Accelerator.valueOf(forced.strip().toUpperCase(java.util.Locale.ROOT)),
                    "forced by AMBER_ACCELERATOR");
        }
        if (!Files.isReadable(KVM_DEVICE) || !Files.isWritable(KVM_DEVICE)) {
            return new Choice(Accelerator.TCG, "/dev/kvm is missing or not accessible");
        }
        Path cache = cacheDir.resolve("accelerator-" + cacheKey(image) + ".properties");
        if (Files.exists(cache)) {
            Properties cached = new Properties();
            try (Reader reader = Files.newBufferedReader(cache)) {
                cached.load(reader);
            }
            return new Choice(Accelerator.valueOf(cached.getProperty("accelerator")),
                    cached.getProperty("reason") + " (probed earlier this host boot)");
        }
        Choice choice = probe(image, MachineModel.q35(qemu, Accelerator.KVM));
        Files.createDirectories(cacheDir);
        Properties result = new Properties();
        result.setProperty("accelerator", choice.accelerator().name());
        result.setProperty("reason", choice.reason());
        try (Writer writer = Files.newBufferedWriter(cache)) {
            result.store(writer, "accelerator probe");
        }
        return choice;
    }

    private Choice probe(GuestImage image, MachineModel machine) throws IOException {
        Path work = Files.createTempDirectory(Files.createDirectories(cacheDir), "probe");
        Path console = work.resolve("console.log");
        Path log = work.resolve("qemu.log");
        QemuProcess qemu = QemuProcess.launch(QemuCommandLine.bootOnly(machine, image, console), log);
        try {
            long started = System.nanoTime();
            if (ConsoleWatch.await(console, MARKER, qemu, DEADLINE)) {
                return new Choice(Accelerator.KVM, "a probe guest booted under KVM in "
                        + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            }
            String why = qemu.isAlive() ? "no sign of life within " + DEADLINE : "QEMU " + qemu.exitDescription();
            String said = LogTail.of(log, 2);
            return new Choice(Accelerator.TCG, "KVM probe failed: " + why + (said.isEmpty() ? "" : " (" + said + ")"));
        } finally {
            try {
                qemu.stop(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static String cacheKey(GuestImage image) throws IOException {
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        return Integer.toHexString((bootId + "|" + image.key()).hashCode());
    }
}
