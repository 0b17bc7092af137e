package dev.amber.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The port proxy beside a direct connection, in one run: the same curl fetching from the same
 * {@code python3 -m http.server} in a sandbox, once from inside the sandbox's network namespace
 * straight to the guest's address (no Amber in the path: the baseline), once through the control
 * plane (path route with an API key: HTTP server, gRPC link, host, guest agent channel).
 */
final class PortBench {

    private static final int PORT = 8000;
    private static final Duration CURL_DEADLINE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Api api;
    private final Report report;
    private final LocalDeployment deployment;

    PortBench(LocalDeployment deployment, Api api, Report report) {
        this.deployment = deployment;
        this.api = api;
        this.report = report;
    }

    /** The sandbox's network namespace (not derived from its id: a pre-started machine brings its own). */
    private String namespace(String id) {
        return deployment.runtime().find(id).orElseThrow().network().namespace();
    }

    void run(Options options) throws Exception {
        int megabytes = options.integer("--proxy-megabytes", 32);
        int requests = options.integer("--proxy-requests", 50);
        String id = api.call("POST", "/v1/sandboxes", "{}").path("id").asText();
        try {
            startServer(id, megabytes);
            List<String> direct = List.of("ip", "netns", "exec", namespace(id), "curl");
            String directUrl = "http://" + SandboxNetwork.GUEST_ADDRESS + ":" + PORT;
            List<String> proxied = List.of("curl", "-H", "X-API-Key: " + api.key());
            String proxiedUrl = api.url("/v1/sandboxes/" + id + "/ports/" + PORT);
            curl(direct, directUrl + "/small.txt", 5);
            curl(proxied, proxiedUrl + "/small.txt", 5);

            Stats directLatency = stats(curl(direct, directUrl + "/small.txt", requests));
            Stats proxiedLatency = stats(curl(proxied, proxiedUrl + "/small.txt", requests));
            report.figure("port GET small file, direct p50", directLatency.median(), "ms");
            report.figure("port GET small file, proxied p50", proxiedLatency.median(), "ms");
            report.figure("port GET small file, proxied p95", proxiedLatency.percentile(95), "ms");
            report.figure("port latency ratio (proxied / direct)", proxiedLatency.median() / directLatency.median(), "x");

            double directSpeed = megabytes / (stats(curl(direct, directUrl + "/big.bin", 3)).median() / 1000);
            double proxiedSpeed = megabytes / (stats(curl(proxied, proxiedUrl + "/big.bin", 3)).median() / 1000);
            report.figure("port download " + megabytes + " MiB, direct", directSpeed, "MiB/s");
            report.figure("port download " + megabytes + " MiB, proxied", proxiedSpeed, "MiB/s");
            report.figure("port throughput ratio (proxied / direct)", proxiedSpeed / directSpeed, "x");
        } finally {
            api.call("DELETE", "/v1/sandboxes/" + id, null);
        }
    }

    private void startServer(String id, int megabytes) throws Exception {
        String script = "mkdir -p /srv/www && echo hello > /srv/www/small.txt"
                + " && head -c " + megabytes + "M /dev/urandom > /srv/www/big.bin"
                + " && (nohup python3 -m http.server " + PORT + " --directory /srv/www >/dev/null 2>&1 &)"
                + " && for i in $(seq 150); do (echo > /dev/tcp/127.0.0.1/" + PORT + ") 2>/dev/null && exit 0;"
                + " sleep 0.2; done; exit 1";
        int exit = api.call("POST", "/v1/sandboxes/" + id + "/exec", JSON.writeValueAsString(Map.of("shell", script)))
                .path("exitCode").asInt();
        if (exit != 0) {
            throw new IllegalStateException("the web server did not start in the sandbox");
        }
    }

    /** One curl fetching {@code url} {@code times} times in a row; each transfer's seconds. */
    private static List<Double> curl(List<String> curl, String url, int times) throws Exception {
        List<String> command = new ArrayList<>(curl);
        command.addAll(List.of("-s", "--fail", "-w", "%{time_total}\\n"));
        for (int i = 0; i < times; i++) {
            command.addAll(List.of("-o", "/dev/null", url));
        }
        return CommandRunner.run(command, CURL_DEADLINE).lines().map(Double::parseDouble).toList();
    }

    private static Stats stats(List<Double> seconds) {
        Stats stats = new Stats();
        seconds.forEach(s -> stats.add(s * 1000));
        return stats;
    }
}
