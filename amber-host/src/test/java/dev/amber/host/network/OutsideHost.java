package dev.amber.host.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A machine "on the internet" for tests, made by the test itself: a network namespace joined to
 * the host by a veth pair, with an address in 198.18.0.0/15 (a benchmarking range: public as far as
 * Amber's policy is concerned, never routed anywhere) and an HTTP server serving hello.txt.
 */
final class OutsideHost implements AutoCloseable {

    static final int PORT = 8080;
    static final String CONTENT = "hello from outside";

    private final String namespace;
    private final String address;
    private final Process server;
    private final Path root;

    private OutsideHost(String namespace, String address, Process server, Path root) {
        this.namespace = namespace;
        this.address = address;
        this.server = server;
        this.root = root;
    }

    static OutsideHost start() throws Exception {
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        String namespace = "amb-outside-" + suffix;
        String hostSide = "aoh" + suffix;
        String hostAddress = "198.18." + subnet + ".1";
        String address = "198.18." + subnet + ".2";
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostSide);
        run("ip", "link", "set", hostSide, "up");
        run("ip", "-n", namespace, "addr", "add", address + "/30", "dev", "eth0");
        run("ip", "-n", namespace, "link", "set", "eth0", "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        Path root = Files.createTempDirectory("amber-outside");
        Files.writeString(root.resolve("hello.txt"), CONTENT, StandardCharsets.UTF_8);
        Process server = new ProcessBuilder("ip", "netns", "exec", namespace, "python3", "-m", "http.server",
                Integer.toString(PORT), "--bind", address, "--directory", root.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        OutsideHost outside = new OutsideHost(namespace, address, server, root);
        outside.awaitServing();
        return outside;
    }

    String url() {
        return "http://" + address + ":" + PORT + "/hello.txt";
    }

    String address() {
        return address;
    }

    private void awaitServing() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            Process probe = new ProcessBuilder("ip", "netns", "exec", namespace, "curl", "-sf", "-m", "1", url())
                    .redirectErrorStream(true).start();
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("the outside HTTP server did not come up");
    }

    @Override
    public void close() throws Exception {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        run("ip", "netns", "delete", namespace);
        Files.deleteIfExists(root.resolve("hello.txt"));
        Files.deleteIfExists(root);
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
