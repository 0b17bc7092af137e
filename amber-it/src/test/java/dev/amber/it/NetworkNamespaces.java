package dev.amber.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Machines for a multi-host test, made of network namespaces this test creates: one "lan"
 * namespace holds a bridge, and each machine is a namespace wired to it by a veth pair, with an
 * address in a /24 of its own. Nothing is added to the namespace the test runs in, so no packet of
 * the test leaves the namespaces it made. Closing deletes them (their interfaces go with them).
 */
final class NetworkNamespaces implements AutoCloseable {

    /** A namespace with an address on the bridge: run commands in it with {@link #command}. */
    record Machine(String namespace, String address) {

        /** {@code argv} run inside this machine's namespace. */
        List<String> command(List<String> argv) {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(argv);
            return command;
        }
    }

    private final String prefix;
    private final String subnet;
    private final List<String> namespaces = new ArrayList<>();

    private NetworkNamespaces(String prefix, String subnet) {
        this.prefix = prefix;
        this.subnet = subnet;
    }

    /** A bridge in a namespace of its own; machines join it with {@link #machine}. */
    static NetworkNamespaces create() throws IOException {
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        // 10.213.x.0/24: inside the namespaces made here only, so any x will do
        NetworkNamespaces lan = new NetworkNamespaces("amt" + tag, "10.213." + (1 + ThreadLocalRandom.current().nextInt(250)));
        try {
            lan.add(lan.lanNamespace());
            lan.run("ip", "-n", lan.lanNamespace(), "link", "add", "br0", "type", "bridge");
            lan.run("ip", "-n", lan.lanNamespace(), "link", "set", "br0", "up");
            return lan;
        } catch (IOException | RuntimeException e) {
            lan.close();
            throw e;
        }
    }

    /** A new machine named {@code name} (a few letters) with address {@code .host} on the bridge. */
    Machine machine(String name, int host) throws IOException {
        String namespace = prefix + "-" + name;
        String address = subnet + "." + host;
        add(namespace);
        String outside = prefix + name;
        run("ip", "link", "add", outside, "netns", lanNamespace(), "type", "veth", "peer", "name", "eth0",
                "netns", namespace);
        run("ip", "-n", lanNamespace(), "link", "set", outside, "master", "br0", "up");
        run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        run("ip", "-n", namespace, "link", "set", "eth0", "up");
        return new Machine(namespace, address);
    }

    private String lanNamespace() {
        return prefix + "-lan";
    }

    private void add(String namespace) throws IOException {
        run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
        run("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    private static void run(String... argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv[0], e);
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (String namespace : namespaces.reversed()) {
            try {
                run("ip", "netns", "delete", namespace);
            } catch (IOException e) {
                failure = e;
            }
        }
        namespaces.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
