package dev.amber.host.network;

import dev.amber.api.network.Cidr;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The nftables rulesets Amber installs, as scripts for `nft -f` (each applied as one atomic
 * transaction). Inside a sandbox's namespace: what the guest may reach, and NAT to the uplink.
 * On the host: sandboxes may not talk to the host itself nor to each other; their traffic is
 * masqueraded on the way out.
 */
final class FirewallRules {

    /** Never reachable from a sandbox unless explicitly allowed: private, loopback, link-local, multicast. */
    static final List<String> NON_PUBLIC = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4");
    /** Never reachable whatever the policy: the metadata address, loopback, Amber's own link range. */
    static final List<String> ALWAYS_DENIED = List.of("169.254.0.0/16", "127.0.0.0/8", Addressing.LINK_RANGE);

    private FirewallRules() {}

    /** The sandbox namespace's table, replaced whole on every policy change. */
    static String sandbox(NetworkPolicy policy, List<String> resolvers) {
        StringBuilder rules = new StringBuilder();
        rules.append("table ip amber\n").append("delete table ip amber\n").append("table ip amber {\n")
                .append("  chain forward {\n")
                .append("    type filter hook forward priority 0; policy drop;\n")
                .append("    ct state established,related accept\n")
                .append("    iifname != \"").append(Addressing.TAP).append("\" drop\n")
                .append("    ip daddr ").append(set(ALWAYS_DENIED)).append(" drop\n");
        if (!policy.denyOut().isEmpty()) {
            rules.append("    ip daddr ").append(set(policy.denyOut().stream().map(Cidr::toString).toList())).append(" drop\n");
        }
        if (!policy.allowOut().isEmpty()) {
            rules.append("    ip daddr ").append(set(policy.allowOut().stream().map(Cidr::toString).toList())).append(" accept\n");
        }
        if (policy.internet()) {
            if (!resolvers.isEmpty()) {
                rules.append("    ip daddr ").append(set(resolvers)).append(" meta l4proto { tcp, udp } th dport 53 accept\n");
            }
            rules.append("    ip daddr ").append(set(NON_PUBLIC)).append(" drop\n")
                    .append("    accept\n");
        }
        rules.append("  }\n")
                .append("  chain postrouting {\n")
                .append("    type nat hook postrouting priority 100;\n")
                .append("    oifname \"").append(Addressing.UPLINK).append("\" masquerade\n")
                .append("  }\n")
                .append("}\n");
        return rules.toString();
    }

    /** The host's table: created once per host start, replaced whole. */
    static String host() {
        String links = "\"" + Addressing.HOST_LINK_PREFIX + "*\"";
        return "table inet amber-host\n"
                + "delete table inet amber-host\n"
                + "table inet amber-host {\n"
                + "  chain input {\n"
                + "    type filter hook input priority -10; policy accept;\n"
                + "    iifname " + links + " ct state established,related accept\n"
                + "    iifname " + links + " drop\n"
                + "  }\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority -10; policy accept;\n"
                + "    iifname " + links + " oifname " + links + " drop\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority 100;\n"
                + "    ip saddr " + Addressing.LINK_RANGE + " oifname != " + links + " masquerade\n"
                + "  }\n"
                + "}\n";
    }

    private static String set(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "{ ", " }"));
    }
}
