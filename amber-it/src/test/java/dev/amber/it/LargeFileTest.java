package dev.amber.it;

import dev.amber.host.RandomStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB file up to a sandbox and back through the public API of a real `amber up`, generated and
 * hashed on the fly on the client: the checksums match, and the server's process (server and host
 * in one JVM) never holds the file: its resident memory grows by a fraction of the file's size.
 */
class LargeFileTest {

    private static final long SIZE = 1L << 30;
    /** What the server's process may grow by while a 1 GiB file passes through it. */
    private static final long RSS_CEILING = 384L << 20;

    @TempDir
    Path data;

    @Test
    void aGibibyteGoesUpAndComesBackIntactWithoutTheServerHoldingIt() throws Exception {
        AmberUp up = AmberUp.start(data);
        try (HttpClient http = HttpClient.newHttpClient(); RssWatch watch = new RssWatch(up.pid())) {
            String key = up.adminKey();
            String id = up.curl(key, "POST", "/v1/sandboxes", "{}").path("id").asText();
            URI file = URI.create(up.url() + "/v1/sandboxes/" + id + "/files?path=/root/big.bin");
            MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
            RandomStream generated = new RandomStream(SIZE, 7, sentDigest);
            watch.baseline();

            long started = System.nanoTime();
            HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(file).header("X-API-Key", key)
                    .timeout(Duration.ofMinutes(15)).PUT(HttpRequest.BodyPublishers.ofInputStream(() -> generated))
                    .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
            double uploadSeconds = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            MessageDigest back = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> downloaded = http.send(HttpRequest.newBuilder(file).header("X-API-Key", key)
                    .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofInputStream());
            long received;
            try (InputStream in = downloaded.body();
                 OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), back)) {
                received = in.transferTo(out);
            }
            double downloadSeconds = (System.nanoTime() - started) / 1e9;

            String sent = HexFormat.of().formatHex(sentDigest.digest());
            System.out.printf("1 GiB up in %.1f s, down in %.1f s; server RSS grew by at most %d MiB%n", uploadSeconds,
                    downloadSeconds, watch.peakGrowth() >> 20);
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            assertThat(uploaded.body()).contains("\"size\":" + SIZE).contains("\"sha256\":\"" + sent + "\"");
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(received).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(sent);
            assertThat(watch.peakGrowth()).as("growth of the server's resident memory").isLessThan(RSS_CEILING);
        } finally {
            up.cleanUp();
        }
    }

    /** Samples a process's resident memory every 100 ms and keeps the peak above a baseline. */
    private static final class RssWatch implements AutoCloseable {
        private final Path status;
        private final AtomicLong baseline = new AtomicLong();
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;

        RssWatch(long pid) {
            this.status = Path.of("/proc", Long.toString(pid), "status");
            this.sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rss(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void baseline() {
            long now = rss();
            baseline.set(now);
            peak.set(now);
        }

        long peakGrowth() {
            return peak.get() - baseline.get();
        }

        private long rss() {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) << 10;
                    }
                }
            } catch (Exception e) {
                // the process is gone: nothing to sample
            }
            return 0;
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }
}
