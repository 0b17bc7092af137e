package dev.amber.bench;

import dev.amber.cli.up.DeploymentSettings;
import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.SandboxRuntime;

import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Amber's benchmarks: figures, printed and written as JSON, each beside a baseline measured in
 * the same run. Not tests: nothing here passes or fails on a number.
 * <pre>./amber bench [--suite all|foundation|api|snapshots|ports|templates|streams|placement|durable] [--boots N] [--execs N] [--megabytes N]
 *                    [--creates N] [--concurrent N] [--pauses N] [--checkpoints N] [--restores N]
 *                    [--forks N] [--networks N] [--proxy-requests N] [--proxy-megabytes N] [--stream-megabytes N]
 *                    [--hosts N] [--operations N] [--placement-snapshots N] [--seed N]
 *                    [--durable-snapshots N] [--durable-restores N] [--out FILE]</pre>
 * The foundation suite boots every sandbox cold (no base snapshots), on a host runtime of its own; the
 * placement suite simulates its cluster in memory (no VM, no database); the durable suite runs two host
 * runtimes on one object store (AMBER_S3_*, else an S3Proxy it starts on loopback).
 */
public final class Bench {

    private Bench() {}

    /**
     * The first boot of a machine size starts building its base snapshot in the background: waits
     * for it, so that nothing is measured while a template VM boots beside it.
     */
    static void awaitBaseSnapshot(LocalDeployment deployment, MachineResources size) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!deployment.runtime().hasBaseSnapshot(size) && System.nanoTime() < end) {
            Thread.sleep(500);
        }
    }

    /** `amber up` in this process, on a fresh data directory (the guest image is shared). */
    private record Deployment(LocalDeployment local, Layout layout, Api api) implements AutoCloseable {

        static Deployment start(Report report) throws Exception {
            Layout layout = freshLayout();
            LocalDeployment local = LocalDeployment.start(layout, DeploymentSettings.forTests());
            describe(local.runtime(), report);
            return new Deployment(local, layout, new Api(local.httpPort(), Files.readString(layout.adminKey()).strip()));
        }

        @Override
        public void close() throws Exception {
            local.close();
            FileTrees.deleteTree(layout.sandboxes().getParent());
        }
    }

    /**
     * A host runtime alone, booting every sandbox cold (no base snapshots): no control plane, whose
     * reconciler would take the runtime's own sandboxes for strays.
     */
    private record BareRuntime(SandboxRuntime runtime, Layout layout) implements AutoCloseable {

        static BareRuntime start(Report report) throws Exception {
            Layout layout = freshLayout();
            SandboxRuntime runtime = SandboxRuntime.start(layout, RuntimeOptions.defaults().withoutBaseSnapshots());
            describe(runtime, report);
            return new BareRuntime(runtime, layout);
        }

        @Override
        public void close() throws IOException {
            runtime.close();
            FileTrees.deleteTree(layout.sandboxes().getParent());
        }
    }

    /** A layout on the setup's images and a fresh data directory. */
    static Layout freshLayout() throws IOException {
        return new Layout(Layout.fromEnvironment().home(), Files.createTempDirectory(Path.of("/tmp"), "amber-bench"));
    }

    static void describe(SandboxRuntime runtime, Report report) {
        report.context("accelerator", runtime.accelerator().lowerName() + " (" + runtime.acceleratorReason() + ")");
        report.context("guest image", runtime.image().key());
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(List.of(args));
        String suite = options.text("--suite", "all");
        Report report = new Report();
        if (suite.equals("all") || suite.equals("foundation")) {
            try (BareRuntime cold = BareRuntime.start(report)) {
                new FoundationBench(cold.runtime(), report).run(options);
            }
        }
        if (suite.equals("all") || suite.equals("ports")) {
            new NetworkBench(report).run(options);
        }
        if (suite.equals("all") || suite.equals("placement")) {
            new PlacementBench(report).run(options);
        }
        if (suite.equals("all") || suite.equals("durable")) {
            new DurableBench(report).run(options);
        }
        if (List.of("all", "api", "snapshots", "ports", "templates", "streams").contains(suite)) {
            try (Deployment deployment = Deployment.start(report)) {
                if (suite.equals("all") || suite.equals("api")) {
                    new ApiBench(deployment.local(), deployment.api(), report).run(options);
                }
                if (suite.equals("all") || suite.equals("snapshots")) {
                    new SnapshotBench(deployment.local(), deployment.layout(), deployment.api(), report).run(options);
                }
                if (suite.equals("all") || suite.equals("ports")) {
                    new PortBench(deployment.local(), deployment.api(), report).run(options);
                }
                if (suite.equals("all") || suite.equals("streams")) {
                    new StreamBench(deployment.local(), deployment.api(), report).run(options);
                }
                if (suite.equals("all") || suite.equals("templates")) {
                    new TemplateBench(deployment.local(), deployment.layout(), deployment.api(), report).run(options);
                }
            }
        }
        report.write(Path.of(options.text("--out", "amber-bench/target/bench.json")));
    }
}
