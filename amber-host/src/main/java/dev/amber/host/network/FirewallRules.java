package dev.amber.host.network;

import dev.amber.api.network.Cidr;
import dev.amber.api.network.NonPublicRange;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The nftables rulesets Amber installs, as scripts for `nft -f` (each applied as one atomic
 * transaction). Inside a sandbox's namespace: what the guest may reach, and NAT to the uplink.
 * On the host: sandboxes may not talk to the host itself nor to each other; their traffic is
 * masqueraded on the way out. Guests have no IPv6 route: the sandbox's table is of the {@code inet}
 * family so that it sees IPv6 too, and drops all of it, forwarded or addressed to the namespace
 * (the guest's link-local neighbour is the namespace's tap, never the host or another sandbox).
 */
final class FirewallRules {

    /** Never reachable whatever the policy: loopback, link-local (the metadata address), Amber's links, ... */
    static final List<String> ALWAYS_DENIED = ranges(false);
    /** Private ranges: dropped unless {@code allowOut} names them (which the API lets only operators allow). */
    static final List<String> NON_PUBLIC = ranges(true);

    private FirewallRules() {}

    /** The sandbox namespace's table, replaced whole on every policy change. */
    static String sandbox(NetworkPolicy policy, List<String> resolvers) {
        StringBuilder rules = new StringBuilder();
        rules.append("table inet amber\n").append("delete table inet amber\n").append("table inet amber {\n")
                .append("  chain input {\n")
                .append("    type filter hook input priority 0; policy accept;\n")
                .append("    meta nfproto ipv6 drop\n")
                .append("  }\n")
                .append("  chain forward {\n")
                .append("    type filter hook forward priority 0; policy drop;\n")
                .append("    meta nfproto ipv6 drop\n")
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

    private static List<String> ranges(boolean operatorMayAllow) {
        return NonPublicRange.ALL.stream().filter(range -> range.operatorMayAllow() == operatorMayAllow)
                .map(range -> range.cidr().toString()).toList();
    }

    private static String set(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "{ ", " }"));
    }
}
