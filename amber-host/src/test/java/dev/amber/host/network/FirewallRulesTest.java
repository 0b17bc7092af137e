package dev.amber.host.network;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nftables scripts for each network policy. A rule's position matters as much as its text (the
 * first verdict wins), so the forward chain is compared line by line, in order.
 */
class FirewallRulesTest {

    private static final List<String> RESOLVERS = List.of("192.168.1.53", "9.9.9.9");

    private static final String ALWAYS_DENIED = "    ip daddr { 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 100.72.0.0/16,"
            + " 224.0.0.0/4, 240.0.0.0/4 } drop";
    private static final String NON_PUBLIC = "    ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 } drop";
    private static final List<String> FORWARD_HEAD = List.of(
            "    type filter hook forward priority 0; policy drop;",
            "    meta nfproto ipv6 drop",
            "    ct state established,related accept",
            "    iifname != \"tap0\" drop",
            ALWAYS_DENIED);

    /** The rules between the chain's head (the same for every policy) and its closing brace. */
    private static List<String> forwardRulesAfterHead(String script) {
        List<String> lines = script.lines().toList();
        int start = lines.indexOf("  chain forward {") + 1;
        int end = lines.subList(start, lines.size()).indexOf("  }") + start;
        List<String> chain = lines.subList(start, end);
        assertThat(chain.subList(0, FORWARD_HEAD.size())).as("head of the forward chain").isEqualTo(FORWARD_HEAD);
        return chain.subList(FORWARD_HEAD.size(), chain.size());
    }

    @Test
    void defaultPolicyScriptReplacesTheTableAndLetsOnlyPublicAddressesAndResolversOut() {
        assertThat(FirewallRules.sandbox(NetworkPolicy.DEFAULT, RESOLVERS)).isEqualTo("""
                table inet amber
                delete table inet amber
                table inet amber {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    meta nfproto ipv6 drop
                  }
                  chain forward {
                    type filter hook forward priority 0; policy drop;
                    meta nfproto ipv6 drop
                    ct state established,related accept
                    iifname != "tap0" drop
                    ip daddr { 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 100.72.0.0/16, 224.0.0.0/4, 240.0.0.0/4 } drop
                    ip daddr { 192.168.1.53, 9.9.9.9 } meta l4proto { tcp, udp } th dport 53 accept
                    ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 } drop
                    accept
                  }
                  chain postrouting {
                    type nat hook postrouting priority 100;
                    oifname "uplink" masquerade
                  }
                }
                """);
    }

    @Test
    void internetWithoutKnownResolversHasNoDnsRule() {
        assertThat(forwardRulesAfterHead(FirewallRules.sandbox(NetworkPolicy.DEFAULT, List.of())))
                .containsExactly(NON_PUBLIC, "    accept");
    }

    @Test
    void offlinePolicyDropsEverythingTheGuestSendsAndOpensNoDnsHole() {
        String script = FirewallRules.sandbox(NetworkPolicy.OFFLINE, RESOLVERS);

        assertThat(forwardRulesAfterHead(script)).isEmpty();
        assertThat(script).doesNotContain("dport 53").doesNotContain("192.168.1.53");
    }

    @Test
    void offlinePolicyStillMasqueradesRepliesOnTheUplink() {
        assertThat(FirewallRules.sandbox(NetworkPolicy.OFFLINE, RESOLVERS)).endsWith("""
                  chain postrouting {
                    type nat hook postrouting priority 100;
                    oifname "uplink" masquerade
                  }
                }
                """);
    }

    @Test
    void allowOutWithoutInternetAcceptsOnlyTheListedNetworks() {
        NetworkPolicy policy = NetworkPolicy.of(false, List.of("203.0.113.0/24", "198.51.100.7"), List.of());

        assertThat(forwardRulesAfterHead(FirewallRules.sandbox(policy, RESOLVERS)))
                .containsExactly("    ip daddr { 203.0.113.0/24, 198.51.100.7/32 } accept");
    }

    @Test
    void allowOutOpensAPrivateNetworkBeforeTheNonPublicRangesAreDropped() {
        NetworkPolicy policy = NetworkPolicy.of(true, List.of("10.1.0.0/16"), List.of());

        assertThat(forwardRulesAfterHead(FirewallRules.sandbox(policy, RESOLVERS))).containsExactly(
                "    ip daddr { 10.1.0.0/16 } accept",
                "    ip daddr { 192.168.1.53, 9.9.9.9 } meta l4proto { tcp, udp } th dport 53 accept",
                NON_PUBLIC,
                "    accept");
    }

    @Test
    void denyOutWithInternetDropsTheListedNetworksBeforeTheCatchAllAccept() {
        NetworkPolicy policy = NetworkPolicy.of(true, List.of(), List.of("1.1.1.1", "8.8.0.0/16"));

        assertThat(forwardRulesAfterHead(FirewallRules.sandbox(policy, RESOLVERS))).containsExactly(
                "    ip daddr { 1.1.1.1/32, 8.8.0.0/16 } drop",
                "    ip daddr { 192.168.1.53, 9.9.9.9 } meta l4proto { tcp, udp } th dport 53 accept",
                NON_PUBLIC,
                "    accept");
    }

    @Test
    void denyOutWinsOverAnOverlappingAllowOutBecauseItComesFirst() {
        NetworkPolicy policy = NetworkPolicy.of(false, List.of("203.0.113.0/24"), List.of("203.0.113.9"));

        assertThat(forwardRulesAfterHead(FirewallRules.sandbox(policy, RESOLVERS))).containsExactly(
                "    ip daddr { 203.0.113.9/32 } drop",
                "    ip daddr { 203.0.113.0/24 } accept");
    }

    @Test
    void policyCidrsAreWrittenNormalisedToTheirNetworkAddress() {
        NetworkPolicy policy = NetworkPolicy.of(false, List.of(" 203.0.113.77/24 "), List.of());

        assertThat(forwardRulesAfterHead(FirewallRules.sandbox(policy, List.of())))
                .containsExactly("    ip daddr { 203.0.113.0/24 } accept");
    }

    @Test
    void theHostItselfAndAmbersLinksCannotBeAllowedBecauseTheirDropComesFirst() {
        NetworkPolicy policy = NetworkPolicy.of(true, List.of("169.254.169.254", "127.0.0.1", "100.72.0.1"), List.of());

        List<String> rules = FirewallRules.sandbox(policy, RESOLVERS).lines().toList();

        assertThat(rules.indexOf(ALWAYS_DENIED))
                .isLessThan(rules.indexOf("    ip daddr { 169.254.169.254/32, 127.0.0.1/32, 100.72.0.1/32 } accept"));
    }

    @Test
    void everyPolicyDropsIpv6FirstWhetherForwardedOrAddressedToTheNamespace() {
        for (NetworkPolicy policy : List.of(NetworkPolicy.DEFAULT, NetworkPolicy.OFFLINE,
                NetworkPolicy.of(false, List.of("203.0.113.0/24"), List.of()))) {
            List<String> rules = FirewallRules.sandbox(policy, RESOLVERS).lines().toList();

            assertThat(rules.subList(rules.indexOf("  chain input {"), rules.indexOf("  chain forward {")))
                    .containsExactly("  chain input {", "    type filter hook input priority 0; policy accept;",
                            "    meta nfproto ipv6 drop", "  }");
            forwardRulesAfterHead(String.join("\n", rules));
        }
    }

    @Test
    void hostScriptIsolatesSandboxLinksFromTheHostAndFromEachOtherAndMasqueradesTheirTraffic() {
        assertThat(FirewallRules.host()).isEqualTo("""
                table inet amber-host
                delete table inet amber-host
                table inet amber-host {
                  chain input {
                    type filter hook input priority -10; policy accept;
                    iifname "av*" ct state established,related accept
                    iifname "av*" drop
                  }
                  chain forward {
                    type filter hook forward priority -10; policy accept;
                    iifname "av*" oifname "av*" drop
                  }
                  chain postrouting {
                    type nat hook postrouting priority 100;
                    ip saddr 100.72.0.0/16 oifname != "av*" masquerade
                  }
                }
                """);
    }
}
