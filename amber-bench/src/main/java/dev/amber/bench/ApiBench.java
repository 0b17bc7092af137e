package dev.amber.bench;

import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The control plane's overhead: the same operations through the HTTP API and directly on the host
 * runtime, in one run, so the ratio is what the API layer (HTTP, database, gRPC link) adds.
 */
final class ApiBench {

    private final LocalDeployment deployment;
    private final Api api;
    private final Report report;

    ApiBench(LocalDeployment deployment, Api api, Report report) {
        this.deployment = deployment;
        this.api = api;
        this.report = report;
    }

    void run(Options options) throws Exception {
        Sandbox first = deployment.runtime().create(SandboxSpec.of(MachineResources.DEFAULT));
        deployment.runtime().destroy(first.id());
        Bench.awaitBaseSnapshot(deployment, MachineResources.DEFAULT);
        createToExecReady(options.integer("--creates", 5));
        execRoundTrip(options.integer("--execs", 200));
        concurrentLists(options.integer("--concurrent", 200));
    }

    private void createToExecReady(int runs) throws Exception {
        Stats host = new Stats();
        Stats viaApi = new Stats();
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            Sandbox sandbox = deployment.runtime().create(SandboxSpec.of(MachineResources.DEFAULT));
            sandbox.agent().run(ExecCommand.of("true"), null);
            host.add(Api.millisSince(started));
            deployment.runtime().destroy(sandbox.id());

            started = System.nanoTime();
            String id = api.call("POST", "/v1/sandboxes", "{\"memoryMb\":256}").path("id").asText();
            api.call("POST", "/v1/sandboxes/" + id + "/exec", "{\"cmd\":[\"true\"]}");
            viaApi.add(Api.millisSince(started));
            api.call("DELETE", "/v1/sandboxes/" + id, null);
        }
        report.figure("host-level create to exec-ready p50", host.median(), "ms");
        report.figure("API create to exec-ready p50", viaApi.median(), "ms");
        report.figure("API create ratio (API / host-level)", viaApi.median() / host.median(), "x");
    }

    /** The same sandbox both ways: its agent directly, and exec through the API. */
    private void execRoundTrip(int runs) throws Exception {
        String id = api.call("POST", "/v1/sandboxes", "{\"memoryMb\":256}").path("id").asText();
        try {
            AgentClient agent = deployment.runtime().find(id).orElseThrow().agent();
            for (int i = 0; i < 20; i++) {
                agent.run(ExecCommand.of("true"), null);
                api.call("POST", "/v1/sandboxes/" + id + "/exec", "{\"cmd\":[\"true\"]}");
            }
            Stats host = new Stats();
            Stats viaApi = new Stats();
            for (int i = 0; i < runs; i++) {
                long started = System.nanoTime();
                agent.run(ExecCommand.of("true"), null);
                host.add(Api.millisSince(started));
                started = System.nanoTime();
                api.call("POST", "/v1/sandboxes/" + id + "/exec", "{\"cmd\":[\"true\"]}");
                viaApi.add(Api.millisSince(started));
            }
            report.figure("host-level exec `true` p50", host.median(), "ms");
            report.figure("API exec `true` p50", viaApi.median(), "ms");
            report.figure("API exec `true` p99", viaApi.percentile(99), "ms");
            report.figure("API exec ratio (API / host-level)", viaApi.median() / host.median(), "x");
        } finally {
            api.call("DELETE", "/v1/sandboxes/" + id, null);
        }
    }

    private void concurrentLists(int concurrency) throws Exception {
        for (int i = 0; i < 20; i++) {
            api.call("GET", "/v1/sandboxes", null);
        }
        Stats latency = new Stats();
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Double>> requests = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                requests.add(pool.submit(() -> {
                    long sent = System.nanoTime();
                    api.call("GET", "/v1/sandboxes", null);
                    return Api.millisSince(sent);
                }));
            }
            for (Future<Double> request : requests) {
                latency.add(request.get());
            }
        }
        double wall = Api.millisSince(started);
        report.figure(concurrency + " concurrent GET /v1/sandboxes p50", latency.median(), "ms");
        report.figure(concurrency + " concurrent GET /v1/sandboxes p99", latency.percentile(99), "ms");
        report.figure(concurrency + " concurrent GET /v1/sandboxes throughput", concurrency / (wall / 1000), "req/s");
    }
}
