package dev.amber.bench;

import dev.amber.host.fs.FileTrees;
import dev.amber.store.StoreSettings;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The object store a durable benchmark writes to: the one {@code AMBER_S3_*} names, or else an
 * S3Proxy on loopback started from {@code scripts/s3proxy/run} (path in {@code AMBER_S3PROXY}, set
 * by {@code ./amber bench}), on a fresh directory, stopped and removed at the end.
 */
final class LocalObjectStore implements AutoCloseable {

    private static final String BUCKET = "amber-bench";
    private static final String ACCESS_KEY = "amber-bench-access";
    private static final String SECRET_KEY = "amber-bench-secret";

    private final StoreSettings settings;
    private final Optional<Process> proxy;
    private final Optional<Path> dir;

    private LocalObjectStore(StoreSettings settings, Optional<Process> proxy, Optional<Path> dir) {
        this.settings = settings;
        this.proxy = proxy;
        this.dir = dir;
    }

    static LocalObjectStore start(Map<String, String> environment) throws IOException, InterruptedException {
        Optional<StoreSettings> configured = StoreSettings.fromEnvironment(environment);
        if (configured.isPresent()) {
            return new LocalObjectStore(configured.get(), Optional.empty(), Optional.empty());
        }
        String script = environment.get("AMBER_S3PROXY");
        if (script == null) {
            throw new IllegalStateException("set AMBER_S3_* to an object store, or run through ./amber bench "
                    + "(which starts an S3Proxy)");
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "amber-bench-s3");
        Files.createDirectories(dir.resolve("data").resolve(BUCKET));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process proxy = new ProcessBuilder(script, dir.resolve("data").toString(), "127.0.0.1:" + port, ACCESS_KEY,
                SECRET_KEY).redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        awaitAnswer(endpoint, proxy);
        Map<String, String> local = Map.of("AMBER_S3_ENDPOINT", endpoint.toString(), "AMBER_S3_BUCKET", BUCKET,
                "AMBER_S3_ACCESS_KEY", ACCESS_KEY, "AMBER_S3_SECRET_KEY", SECRET_KEY, "AMBER_S3_BANDWIDTH_MBPS", "0");
        return new LocalObjectStore(StoreSettings.fromEnvironment(local).orElseThrow(), Optional.of(proxy), Optional.of(dir));
    }

    private static void awaitAnswer(URI endpoint, Process proxy) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                if (!proxy.isAlive() || System.nanoTime() > end) {
                    throw new IOException("S3Proxy did not start (see its log): " + e.getMessage(), e);
                }
                Thread.sleep(250);
            }
        }
    }

    StoreSettings settings() {
        return settings;
    }

    /** Where the figures come from, for the report. */
    String describe() {
        return proxy.isPresent() ? "S3Proxy on loopback (filesystem)" : settings.describe();
    }

    @Override
    public void close() throws IOException {
        if (proxy.isPresent()) {
            proxy.get().descendants().forEach(ProcessHandle::destroyForcibly);
            proxy.get().destroyForcibly();
        }
        if (dir.isPresent()) {
            FileTrees.deleteTree(dir.get());
        }
    }
}
