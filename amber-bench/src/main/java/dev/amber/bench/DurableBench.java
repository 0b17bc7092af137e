package dev.amber.bench;

import dev.amber.host.Layout;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;
import dev.amber.store.DurableStore;
import dev.amber.store.StoreException;
import dev.amber.store.StoredObject;
import dev.amber.store.UploadReport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Durable snapshots on two host runtimes sharing one object store: how fast a snapshot goes up,
 * how little ten snapshots of sandboxes from one template add to the store (content-addressed
 * chunks: the template's bytes are stored once), and what starting a sandbox from a snapshot on a
 * host that must fetch it costs beside starting it where it was made (the baseline, same run).
 */
final class DurableBench {

    private static final long CACHE = 20L << 30;
    private static final double MB = 1e6;

    private final Report report;

    DurableBench(Report report) {
        this.report = report;
    }

    void run(Options options) throws Exception {
        int snapshots = options.integer("--durable-snapshots", 10);
        int restores = options.integer("--durable-restores", 3);
        RuntimeOptions plain = RuntimeOptions.defaults().withoutBaseSnapshots().withPrestartedMachines(0);
        Layout layoutA = Bench.freshLayout();
        Layout layoutB = Bench.freshLayout();
        try (LocalObjectStore s3 = LocalObjectStore.start(System.getenv());
             DurableStore store = DurableStore.open(s3.settings());
             SandboxRuntime hostA = SandboxRuntime.start(layoutA, plain);
             SandboxRuntime hostB = SandboxRuntime.start(layoutB, plain)) {
            report.context("object store", s3.describe());
            Bench.describe(hostA, report);
            hostA.keepStateIn(store, "bench-a", CACHE);
            hostB.keepStateIn(store, "bench-b", CACHE);
            String template = template(hostA);
            List<String> made = store(hostA, store, template, snapshots);
            restore(hostA, hostB, made.getFirst(), restores);
        } finally {
            FileTrees.deleteTree(layoutA.sandboxes().getParent());
            FileTrees.deleteTree(layoutB.sandboxes().getParent());
        }
    }

    /** A booted sandbox's snapshot, as a template's: what the sandboxes below start from. */
    private static String template(SandboxRuntime host) throws IOException {
        Sandbox builder = host.create(SandboxSpec.of(MachineResources.DEFAULT));
        try {
            String template = "snap-" + UUID.randomUUID();
            host.snapshot(builder.id(), template);
            return template;
        } finally {
            host.destroy(builder.id());
        }
    }

    /**
     * {@code count} sandboxes from the template, each writing a little of its own (4 MB of random
     * data, a marker), snapshotted and stored; the store's growth beside one snapshot's bytes.
     */
    private List<String> store(SandboxRuntime host, DurableStore store, String template, int count) throws IOException {
        List<String> made = new ArrayList<>();
        List<UploadReport> uploads = new ArrayList<>();
        long afterFirst = 0;
        for (int i = 0; i < count; i++) {
            Sandbox sandbox = host.create(SandboxSpec.of(MachineResources.DEFAULT).fromSnapshot(template));
            try {
                sandbox.agent().run(ExecCommand.shell("echo " + i + " > /root/which; head -c 4000000 /dev/urandom"
                        + " > /root/own; sync"), null);
                String snapshot = "snap-" + UUID.randomUUID();
                host.snapshot(sandbox.id(), snapshot);
                made.add(snapshot);
                uploads.add(host.storeSnapshot(snapshot));
                if (i == 0) {
                    afterFirst = storedBytes(store);
                }
            } finally {
                host.destroy(sandbox.id());
            }
        }
        UploadReport first = uploads.getFirst();
        long all = storedBytes(store);
        report.figure("snapshot files, each (memory, devices, disk chain)", first.bytes() / MB, "MB");
        report.figure("  of which not zero pages", first.storedBytes() / MB, "MB");
        report.figure("first upload throughput", first.uploadedBytes() / MB / (first.took().toMillis() / 1000.0), "MB/s");
        report.figure("store after the first snapshot", afterFirst / MB, "MB");
        report.figure("store after " + count + " snapshots", all / MB, "MB");
        report.figure(count + " snapshots vs " + count + "x one", (double) all / (count * (double) afterFirst), "x");
        long later = uploads.subList(1, uploads.size()).stream().mapToLong(UploadReport::uploadedBytes).sum();
        report.figure("sent per later snapshot, mean", later / MB / Math.max(1, uploads.size() - 1), "MB");
        return made;
    }

    /** Creates from {@code snapshot} where it was made (baseline) and on a host that fetches it first. */
    private void restore(SandboxRuntime local, SandboxRuntime remote, String snapshot, int runs) throws IOException {
        Stats here = new Stats();
        for (int i = 0; i < runs; i++) {
            here.add(createMillis(local, snapshot));
        }
        double fetched = createMillis(remote, snapshot);
        Stats cached = new Stats();
        for (int i = 0; i < runs; i++) {
            cached.add(createMillis(remote, snapshot));
        }
        report.figure("create from snapshot, where it was made p50", here.median(), "ms");
        report.figure("create from snapshot, fetched from the store", fetched, "ms");
        report.figure("  ratio (fetched / local)", fetched / here.median(), "x");
        report.figure("create from snapshot, fetched copy cached p50", cached.median(), "ms");
        report.figure("  ratio (cached / local)", cached.median() / here.median(), "x");
    }

    private static double createMillis(SandboxRuntime host, String snapshot) throws IOException {
        long started = System.nanoTime();
        Sandbox sandbox = host.create(SandboxSpec.of(MachineResources.DEFAULT).fromSnapshot(snapshot));
        double millis = (System.nanoTime() - started) / 1e6;
        host.destroy(sandbox.id());
        return millis;
    }

    private static long storedBytes(DurableStore store) throws StoreException {
        return store.objects().list("").stream().mapToLong(StoredObject::bytes).sum();
    }
}
