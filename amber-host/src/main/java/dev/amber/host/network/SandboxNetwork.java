package dev.amber.host.network;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One sandbox's network: its own namespace holding the VM's tap device and an uplink veth to the
 * host, NAT out of it, and an egress policy that can change while the VM runs. QEMU is started
 * inside the namespace, so the tap it opens is there. Deleting the namespace removes everything.
 */
public final class SandboxNetwork implements AutoCloseable {

    /** The same in every sandbox: clones of one snapshot share it, each in its own namespace. */
    public static final String GUEST_MAC = Addressing.GUEST_MAC;
    /** The guest's address, the same in every sandbox: reachable only from inside its namespace. */
    public static final String GUEST_ADDRESS = Addressing.GUEST_ADDRESS;

    static final String NAMESPACE_PREFIX = "amber-";

    private final HostNetwork host;
    private final String namespace;
    private final String hostLink;
    private final int slot;
    private volatile NetworkPolicy policy;

    private SandboxNetwork(HostNetwork host, String namespace, String hostLink, int slot, NetworkPolicy policy) {
        this.host = host;
        this.namespace = namespace;
        this.hostLink = hostLink;
        this.slot = slot;
        this.policy = policy;
    }

    /** The namespace name of a sandbox: derived from its id, short enough for every tool. */
    public static String namespaceOf(String sandboxId) {
        return NAMESPACE_PREFIX + sandboxId.replace("sb-", "").replace("-", "").substring(0, 12);
    }

    public static SandboxNetwork create(HostNetwork host, String sandboxId, NetworkPolicy policy) throws IOException {
        requireNonNull(policy, "policy");
        String namespace = namespaceOf(sandboxId);
        int slot = LinkLeases.acquire(namespace);
        String hostLink = hostLinkOf(namespace);
        SandboxNetwork network = new SandboxNetwork(host, namespace, hostLink, slot, policy);
        try {
            NetworkCommands.ip("netns", "add", namespace);
            NetworkCommands.ip("link", "add", hostLink, "type", "veth", "peer", "name", Addressing.UPLINK, "netns", namespace);
            NetworkCommands.ip("addr", "add", Addressing.linkAddress(slot, 1) + "/30", "dev", hostLink);
            NetworkCommands.ip("link", "set", hostLink, "up");
            NetworkCommands.ipIn(namespace, "link", "set", "lo", "up");
            NetworkCommands.ipIn(namespace, "addr", "add", Addressing.linkAddress(slot, 2) + "/30", "dev", Addressing.UPLINK);
            NetworkCommands.ipIn(namespace, "link", "set", Addressing.UPLINK, "up");
            NetworkCommands.ipIn(namespace, "route", "add", "default", "via", Addressing.linkAddress(slot, 1));
            NetworkCommands.ipIn(namespace, "tuntap", "add", "dev", Addressing.TAP, "mode", "tap");
            NetworkCommands.ipIn(namespace, "link", "set", "dev", Addressing.TAP, "address", Addressing.GATEWAY_MAC);
            NetworkCommands.ipIn(namespace, "addr", "add", Addressing.GATEWAY_ADDRESS + "/" + Addressing.GUEST_PREFIX,
                    "dev", Addressing.TAP);
            NetworkCommands.ipIn(namespace, "link", "set", Addressing.TAP, "up");
            NetworkCommands.sysctlIn(namespace, "net.ipv4.ip_forward=1");
            NetworkCommands.nft(namespace, FirewallRules.sandbox(policy, host.resolvers()));
            return network;
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The host side of the namespace's link to the host. */
    static String hostLinkOf(String namespace) {
        return Addressing.HOST_LINK_PREFIX + namespace.substring(NAMESPACE_PREFIX.length(), NAMESPACE_PREFIX.length() + 10);
    }

    /** Replaces the egress policy of a running sandbox, atomically. */
    public void apply(NetworkPolicy newPolicy) throws IOException {
        NetworkCommands.nft(namespace, FirewallRules.sandbox(requireNonNull(newPolicy, "policy"), host.resolvers()));
        this.policy = newPolicy;
    }

    public NetworkPolicy policy() {
        return policy;
    }

    public String namespace() {
        return namespace;
    }

    /** Runs {@code command} inside {@code namespace} (QEMU, so that its tap is there); ip execs it in place. */
    public static List<String> inNamespace(String namespace, List<String> command) {
        return Stream.concat(Stream.of("ip", "netns", "exec", namespace), command.stream()).toList();
    }

    /** What the guest's init needs: its address, gateway and resolvers, as kernel arguments. */
    public String kernelArguments() {
        return "amber.net=" + Addressing.GUEST_ADDRESS + "/" + Addressing.GUEST_PREFIX + "," + Addressing.GATEWAY_ADDRESS
                + (host.resolvers().isEmpty() ? "" : " amber.dns=" + String.join(",", host.resolvers()));
    }

    public String tapDevice() {
        return Addressing.TAP;
    }

    /**
     * Deletes the veth pair, then the namespace (tap and rules go with it). The kernel tears a
     * namespace down asynchronously, so the link is deleted explicitly to be gone on return.
     */
    @Override
    public void close() throws IOException {
        try {
            if (NetworkCommands.linkExists(hostLink)) {
                NetworkCommands.ip("link", "delete", hostLink);
            }
            if (NetworkCommands.namespaces().contains(namespace)) {
                NetworkCommands.ip("netns", "delete", namespace);
            }
        } finally {
            LinkLeases.release(slot);
        }
    }
}
