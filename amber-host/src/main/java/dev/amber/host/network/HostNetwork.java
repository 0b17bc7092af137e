package dev.amber.host.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            if (namespaces.contains(lease.namespace())) {
                NetworkCommands.ip("netns", "delete", lease.namespace());
            }
            LinkLeases.release(lease.slot());
        }
        if (!stale.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "removed {0} sandbox networks left by an earlier run", stale.size());
        }
        return new HostNetwork(resolvers(Path.of("/etc/resolv.conf")));
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
