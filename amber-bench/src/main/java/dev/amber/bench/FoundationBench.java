package dev.amber.bench;

import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.ConsoleWatch;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.QemuCommandLine;
import dev.amber.host.vm.QemuProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Foundation benchmarks: cold boot, exec round trip, file throughput, each beside a raw
 * baseline measured in the same run (these machines are shared and noisy: compare ratios).
 */
final class FoundationBench {

    private static final String FIRST_CONSOLE_LINE = "amber-initramfs: start";

    private final SandboxRuntime runtime;
    private final Report report;

    FoundationBench(SandboxRuntime runtime, Report report) {
        this.runtime = runtime;
        this.report = report;
    }

    void run(Options options) throws IOException, InterruptedException {
        boot(options.integer("--boots", 5));
        Sandbox sandbox = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
        try {
            report.context("agent JVM start-up in guest (ms)", sandbox.guestInfo().get("jvmStartupMillis"));
            exec(sandbox.agent(), options.integer("--execs", 200));
            files(sandbox.agent(), options.integer("--megabytes", 100));
        } finally {
            runtime.destroy(sandbox.id());
        }
    }

    /** Raw QEMU to first console line vs our full boot to agent-ready. */
    private void boot(int runs) throws IOException, InterruptedException {
        Stats raw = new Stats();
        Stats ours = new Stats();
        for (int i = 0; i < runs; i++) {
            raw.add(rawBootMillis());
            long started = System.nanoTime();
            Sandbox sandbox = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
            ours.add((System.nanoTime() - started) / 1e6);
            runtime.destroy(sandbox.id());
        }
        report.figure("raw QEMU boot to first console line p50", raw.median(), "ms");
        report.figure("cold boot to agent-ready p50", ours.median(), "ms");
        report.figure("cold boot ratio (ours / raw)", ours.median() / raw.median(), "x");
    }

    private double rawBootMillis() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("amber-bench");
        Path console = work.resolve("console.log");
        long started = System.nanoTime();
        QemuProcess qemu = QemuProcess.launch(
                QemuCommandLine.bootOnly(runtime.platform().machine(), runtime.image(), console), work.resolve("qemu.log"));
        try {
            if (!ConsoleWatch.await(console, FIRST_CONSOLE_LINE, qemu, Duration.ofSeconds(60))) {
                throw new IOException("raw boot showed no console line: QEMU " + qemu.exitDescription());
            }
            return (System.nanoTime() - started) / 1e6;
        } finally {
            qemu.stop(Duration.ofSeconds(1));
            for (String name : new String[] {"console.log", "qemu.log"}) {
                Files.deleteIfExists(work.resolve(name));
            }
            Files.delete(work);
        }
    }

    /** `true` through the whole stack vs the agent's own spawn time and a bare channel round trip. */
    private void exec(AgentClient agent, int runs) throws IOException {
        for (int i = 0; i < 20; i++) {
            agent.run(ExecCommand.of("true"), null); // warm the guest's exec path
        }
        Stats roundTrip = new Stats();
        Stats spawn = new Stats();
        Stats ping = new Stats();
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            var result = agent.run(ExecCommand.of("true"), null);
            roundTrip.add((System.nanoTime() - started) / 1e6);
            spawn.add(result.durationMillis());
            started = System.nanoTime();
            agent.health();
            ping.add((System.nanoTime() - started) / 1e6);
        }
        report.figure("channel round trip (health) p50", ping.median(), "ms");
        report.figure("exec `true` round trip p50", roundTrip.median(), "ms");
        report.figure("exec `true` round trip p99", roundTrip.percentile(99), "ms");
        report.figure("  of which process spawn in guest p50", spawn.median(), "ms");
    }

    /** Upload and download through the agent vs the guest writing the same bytes to its own disk. */
    private void files(AgentClient agent, int megabytes) throws IOException {
        long bytes = megabytes * 1024L * 1024L;
        long started = System.nanoTime();
        agent.upload("/root/bench.bin", 0644, new ZeroStream(bytes));
        double upload = megabytes / ((System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        agent.download("/root/bench.bin", OutputStream.nullOutputStream());
        double download = megabytes / ((System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        var local = agent.run(ExecCommand.shell("dd if=/dev/zero of=/root/local.bin bs=1M count=" + megabytes
                + " conv=fsync status=none"), null);
        double localWrite = megabytes / ((System.nanoTime() - started) / 1e9);
        if (local.exitCode() != 0) {
            throw new IOException("dd failed: " + local.stderrText());
        }
        report.figure("file upload", upload, "MB/s");
        report.figure("file download", download, "MB/s");
        report.figure("guest-local disk write (dd, fsync)", localWrite, "MB/s");
        report.figure("upload ratio (upload / local write)", upload / localWrite, "x");
    }
}
