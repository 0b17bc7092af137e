package dev.amber.host.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's side of sandbox networking: forwarding on, the host firewall (sandboxes reach neither
 * the host nor each other), leftovers of earlier runs removed, and link addresses handed out.
 */
public final class HostNetwork {

    private static final System.Logger LOG = System.getLogger("amber.network");
    private static final Pattern NAMESERVER = Pattern.compile("^nameserver\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)\\s*$",
            Pattern.MULTILINE);

    private final List<String> resolvers;

    private HostNetwork(List<String> resolvers) {
        this.resolvers = resolvers;
    }

    /** Prepares the host and removes the namespaces of host runtimes that died without cleaning up. */
    public static HostNetwork start() throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        NetworkCommands.nft(null, FirewallRules.host());
        List<String> namespaces = NetworkCommands.namespaces();
        List<LinkLeases.Stale> stale = LinkLeases.stale();
        for (LinkLeases.Stale lease : stale) {
            remove(lease.namespace());
            LinkLeases.release(lease.slot());
        }
        // a namespace of ours without a lease was half made or half removed by a process that died
        List<String> leased = LinkLeases.leasedNamespaces();
        List<String> unleased = namespaces.stream()
                .filter(namespace -> namespace.startsWith(SandboxNetwork.NAMESPACE_PREFIX) && !leased.contains(namespace))
                .toList();
        for (String namespace : unleased) {
            remove(namespace);
        }
        if (!stale.isEmpty() || !unleased.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "removed {0} sandbox networks left by an earlier run",
                    stale.size() + unleased.size());
        }
        return new HostNetwork(resolvers(Path.of("/etc/resolv.conf")));
    }

    /** Removes a namespace, its processes and its link; one that another runtime removes meanwhile is fine. */
    private static void remove(String namespace) throws IOException {
        try {
            if (NetworkCommands.namespaces().contains(namespace)) {
                killProcessesIn(namespace);
                NetworkCommands.ip("netns", "delete", namespace);
            }
            String hostLink = SandboxNetwork.hostLinkOf(namespace);
            if (NetworkCommands.linkExists(hostLink)) {
                NetworkCommands.ip("link", "delete", hostLink);
            }
        } catch (IOException e) {
            if (NetworkCommands.namespaces().contains(namespace)
                    || NetworkCommands.linkExists(SandboxNetwork.hostLinkOf(namespace))) {
                throw e;
            }
        }
    }

    /**
     * A dead runtime's QEMU may outlive it, still holding the namespace (and with it the link and
     * its addresses, which a new lease of the slot would then clash with): only QEMUs we started
     * ever run in an Amber namespace, so whatever is there goes.
     */
    private static void killProcessesIn(String namespace) throws IOException {
        for (long pid : NetworkCommands.pidsIn(namespace)) {
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            });
        }
    }

    /** The host's IPv4 nameservers: the guest is allowed to ask them, and told to. */
    public List<String> resolvers() {
        return resolvers;
    }


    static List<String> resolvers(Path resolvConf) {
        try {
            Matcher matcher = NAMESERVER.matcher(Files.readString(resolvConf));
            return matcher.results().map(result -> result.group(1)).filter(address -> !address.startsWith("127."))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
