package dev.amber.bench;

import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.agent.ProcessSession;
import dev.amber.protocol.message.Request;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming throughput through the API against the host's own access to the same sandbox, in one
 * run: a process's stdout (a WebSocket on /exec/stream vs the guest agent's channel, run to
 * completion and as a tracked process) and file transfer (PUT/GET /files vs the agent's upload and
 * download). The ratio is what the control plane, gRPC link and HTTP add.
 */
final class StreamBench {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int RUNS = 3;

    private final LocalDeployment deployment;
    private final Api api;
    private final Report report;
    private final HttpClient http = HttpClient.newHttpClient();

    StreamBench(LocalDeployment deployment, Api api, Report report) {
        this.deployment = deployment;
        this.api = api;
        this.report = report;
    }

    void run(Options options) throws Exception {
        String id = api.call("POST", "/v1/sandboxes", "{\"memoryMb\":512}").path("id").asText();
        try {
            AgentClient agent = deployment.runtime().find(id).orElseThrow().agent();
            stdout(id, agent, options.integer("--stream-megabytes", 64));
            files(id, agent, options.integer("--megabytes", 100));
        } finally {
            api.call("DELETE", "/v1/sandboxes/" + id, null);
        }
    }

    private void stdout(String id, AgentClient agent, int megabytes) throws Exception {
        List<String> argv = List.of("head", "-c", Long.toString(megabytes * 1024L * 1024L), "/dev/zero");
        viaApi(id, argv); // warm both paths once
        double run = rate(megabytes, () -> agent.exec(ExecCommand.of(argv.toArray(String[]::new)), DEADLINE, null,
                OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
        double tracked = rate(megabytes, () -> {
            try (ProcessSession session = agent.start(Request.Start.of(argv), DEADLINE)) {
                while (session.next() != null) {
                    // drain
                }
            }
        });
        double viaApi = rate(megabytes, () -> viaApi(id, argv));
        report.figure("host-level stdout stream (run to completion)", run, "MB/s");
        report.figure("host-level stdout stream (tracked process)", tracked, "MB/s");
        report.figure("API stdout stream (WebSocket /exec/stream)", viaApi, "MB/s");
        report.figure("stdout stream ratio (API / host-level tracked)", viaApi / tracked, "x");
    }

    private void files(String id, AgentClient agent, int megabytes) throws Exception {
        long bytes = megabytes * 1024L * 1024L;
        URI file = URI.create(api.url("/v1/sandboxes/" + id + "/files?path=/root/stream-bench.bin"));
        double hostUp = rate(megabytes, () -> agent.upload("/root/stream-bench.bin", 0644, new ZeroStream(bytes)));
        double hostDown = rate(megabytes, () -> agent.download("/root/stream-bench.bin", OutputStream.nullOutputStream()));
        double apiUp = rate(megabytes, () -> check(http.send(HttpRequest.newBuilder(file).header("X-API-Key", api.key())
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(bytes))).build(),
                HttpResponse.BodyHandlers.discarding())));
        double apiDown = rate(megabytes, () -> {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(file).header("X-API-Key", api.key())
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            check(response);
            try (InputStream in = response.body()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
        report.figure("host-level file upload", hostUp, "MB/s");
        report.figure("API file upload (PUT /files)", apiUp, "MB/s");
        report.figure("upload ratio (API / host-level)", apiUp / hostUp, "x");
        report.figure("host-level file download", hostDown, "MB/s");
        report.figure("API file download (GET /files)", apiDown, "MB/s");
        report.figure("download ratio (API / host-level)", apiDown / hostDown, "x");
    }

    /** Streams {@code argv}'s stdout over the API's WebSocket until the exit message. */
    private void viaApi(String id, List<String> argv) throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> exited = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("X-API-Key", api.key())
                .buildAsync(URI.create(api.url("/v1/sandboxes/" + id + "/exec/stream").replace("http://", "ws://")),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                                received.addAndGet(data.remaining());
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                if (data.toString().contains("\"exit\"")) {
                                    exited.complete(null);
                                }
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                                exited.complete(null);
                                return null;
                            }
                        }).get(30, TimeUnit.SECONDS);
        socket.sendText("{\"cmd\":[\"" + String.join("\",\"", argv) + "\"]}", true).get(10, TimeUnit.SECONDS);
        exited.get(10, TimeUnit.MINUTES);
        socket.abort();
        if (received.get() == 0) {
            throw new IOException("no output arrived over the WebSocket");
        }
    }

    private static void check(HttpResponse<?> response) throws IOException {
        if (response.statusCode() >= 300) {
            throw new IOException("HTTP " + response.statusCode());
        }
    }

    @FunctionalInterface
    private interface Transfer {
        void run() throws Exception;
    }

    /** The median rate of {@link #RUNS} transfers (the machines are shared and noisy). */
    private static double rate(int megabytes, Transfer transfer) throws Exception {
        Stats rates = new Stats();
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            transfer.run();
            rates.add(megabytes / ((System.nanoTime() - started) / 1e9));
        }
        return rates.median();
    }
}
