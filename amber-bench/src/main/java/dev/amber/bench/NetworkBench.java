package dev.amber.bench;

import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;

import java.util.UUID;

/**
 * What a sandbox's own network costs its create and delete: namespace, veth pair, tap, routes and
 * nftables rules, set up and torn down directly, with no VM. Runs while no deployment does, so the
 * host network it starts tidies nothing of anyone else's.
 */
final class NetworkBench {

    private final Report report;

    NetworkBench(Report report) {
        this.report = report;
    }

    void run(Options options) throws Exception {
        int runs = options.integer("--networks", 20);
        HostNetwork host = HostNetwork.start();
        Stats setup = new Stats();
        Stats teardown = new Stats();
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            SandboxNetwork network = SandboxNetwork.create(host, "sb-" + UUID.randomUUID(), NetworkPolicy.DEFAULT);
            setup.add(Api.millisSince(started));
            started = System.nanoTime();
            network.close();
            teardown.add(Api.millisSince(started));
        }
        report.figure("sandbox network setup p50", setup.median(), "ms");
        report.figure("sandbox network setup p95", setup.percentile(95), "ms");
        report.figure("sandbox network teardown p50", teardown.median(), "ms");
    }
}
