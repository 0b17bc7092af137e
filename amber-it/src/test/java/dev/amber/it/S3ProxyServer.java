package dev.amber.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server for the tests of object storage: S3Proxy, run by
 * {@code scripts/s3proxy/run} as a process of its own (its Jetty 11 and Javalin's Jetty 12 cannot
 * share a classpath), keeping each bucket as a directory under a base directory and each object as a
 * file. It can run inside a test's network namespace, to put the store on a machine of its own.
 * Closing stops it; its log stays in {@code target/} (of amber-it) for a failure to be read later.
 *
 * <p>Clients of S3Proxy 2.6.0 must send request checksums only when S3 requires them (AWS SDK v2:
 * {@code requestChecksumCalculation(WHEN_REQUIRED)}); see {@code scripts/s3proxy/run}.
 */
final class S3ProxyServer implements AutoCloseable {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    /** S3's rule for bucket names; the store also makes them directory names. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** About 4 s; 20 s was seen on a 2-core host under heavy load, and a first start also resolves the jars. */
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final String ACCESS_KEY = "amber-test-access-key";
    private static final String SECRET_KEY = "amber-test-secret-key";

    private final Process process;
    private final URI endpoint;
    private final String bucket;
    private final Path log;

    private S3ProxyServer(Process process, URI endpoint, String bucket, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.log = log;
    }

    /**
     * Starts a server storing under {@code baseDir}, answering on {@code bindAddress} (an IPv4
     * address or host name) and {@code port} (0: a free port on loopback), with {@code bucket} made,
     * and returns once it answers HTTP.
     */
    static S3ProxyServer start(Path baseDir, String bindAddress, int port, String bucket) throws IOException {
        return start(UnaryOperator.identity(), baseDir, bindAddress, port, bucket);
    }

    /** As {@link #start}, inside {@code machine}'s network namespace, answering on its address. */
    static S3ProxyServer startIn(NetworkNamespaces.Machine machine, Path baseDir, int port, String bucket)
            throws IOException {
        return start(machine::command, baseDir, machine.address(), port, bucket);
    }

    private static S3ProxyServer start(UnaryOperator<List<String>> where, Path baseDir, String bindAddress, int port,
            String bucket) throws IOException {
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name: " + bucket);
        }
        // The store's buckets are the directories under its base directory; one that others may
        // read is public-read to S3Proxy, which then answers unsigned requests: keep it private.
        Path bucketDir = Files.createDirectories(baseDir.resolve(bucket));
        Files.setPosixFilePermissions(bucketDir, PosixFilePermissions.fromString("rwx------"));
        int actualPort = port == 0 ? Processes.freePort() : port;
        String address = bindAddress + ":" + actualPort;
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target").toAbsolutePath()), "s3proxy-", ".log");
        Process process = new ProcessBuilder(where.apply(List.of(PROJECT.resolve("scripts/s3proxy/run").toString(),
                baseDir.toAbsolutePath().toString(), address, ACCESS_KEY, SECRET_KEY)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3ProxyServer server = new S3ProxyServer(process, URI.create("http://" + address), bucket, log);
        try {
            server.awaitAnswer(where);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    String accessKey() {
        return ACCESS_KEY;
    }

    String secretKey() {
        return SECRET_KEY;
    }

    String bucket() {
        return bucket;
    }

    /** Waits until curl, run where the server runs, gets any HTTP answer (403 to its anonymous GET). */
    private void awaitAnswer(UnaryOperator<List<String>> where) throws IOException {
        List<String> probe = where.apply(List.of("curl", "-s", "-o", "/dev/null", "--max-time", "5", endpoint + "/"));
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!answers(probe)) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with status " + process.exitValue() + ": " + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("S3Proxy did not answer on " + endpoint + " within " + STARTUP + ": " + logTail());
            }
            pause(Duration.ofMillis(100));
        }
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n(all of it: " + log + ")";
    }

    private static boolean answers(List<String> probe) throws IOException {
        Process curl = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!curl.waitFor(30, TimeUnit.SECONDS)) {
                curl.destroyForcibly();
                return false;
            }
            return curl.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for S3Proxy", e);
        }
    }

    private static void pause(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for S3Proxy", e);
        }
    }

    /** Stops the server and what it started (the first start's jar download), by their PIDs. */
    @Override
    public void close() throws IOException {
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        processes.forEach(ProcessHandle::destroy);
        try {
            for (ProcessHandle handle : processes) {
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    handle.destroyForcibly();
                    handle.onExit().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping S3Proxy", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("S3Proxy (pid " + process.pid() + ") did not stop; its log: " + log, e);
        }
    }
}
