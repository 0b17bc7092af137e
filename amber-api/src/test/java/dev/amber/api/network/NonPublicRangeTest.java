package dev.amber.api.network;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which networks a sandbox policy treats as non-public, and how CIDRs overlap. */
class NonPublicRangeTest {

    private static String rangeOf(String cidr) {
        return NonPublicRange.closedTo(Cidr.parse(cidr), false).map(range -> range.cidr().toString()).orElse("public");
    }

    @Test
    void theMetadataAddressLoopbackAndAmbersLinksCanNeverBeAllowed() {
        assertThat(NonPublicRange.closedTo(Cidr.parse("169.254.169.254"), true)).get()
                .satisfies(range -> assertThat(range.operatorMayAllow()).isFalse());
        assertThat(rangeOf("127.0.0.1")).isEqualTo("127.0.0.0/8");
        assertThat(rangeOf("100.72.3.4")).as("Amber's links, named before the CGNAT range around them")
                .isEqualTo("100.72.0.0/16");
        assertThat(rangeOf("0.0.0.0/8")).isEqualTo("0.0.0.0/8");
        assertThat(rangeOf("239.1.1.1")).isEqualTo("224.0.0.0/4");
        assertThat(rangeOf("255.255.255.255")).isEqualTo("240.0.0.0/4");
    }

    @Test
    void privateAndCarrierGradeNatRangesAreTheOnesAnOperatorMayOpen() {
        assertThat(NonPublicRange.ALL.stream().filter(NonPublicRange::operatorMayAllow).map(range -> range.cidr().toString()))
                .containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10");
        assertThat(rangeOf("172.31.255.1")).isEqualTo("172.16.0.0/12");
        assertThat(rangeOf("100.127.0.0/16")).isEqualTo("100.64.0.0/10");
    }

    @Test
    void withPrivateEgressAllowedAWideEntryIsStillClosedByTheNeverReachedRangeItHolds() {
        assertThat(NonPublicRange.closedTo(Cidr.parse("10.0.0.0/8"), true)).isEmpty();
        assertThat(NonPublicRange.closedTo(Cidr.parse("100.64.0.0/10"), true)).get()
                .satisfies(range -> assertThat(range.cidr()).isEqualTo(NonPublicRange.AMBER_LINKS));
    }

    @Test
    void aWideEntryOverlapsTheRangesItHoldsAndPublicNetworksOverlapNone() {
        assertThat(rangeOf("0.0.0.0/0")).isEqualTo("0.0.0.0/8");
        assertThat(rangeOf("8.0.0.0/6")).isEqualTo("10.0.0.0/8");
        assertThat(rangeOf("203.0.113.0/24")).isEqualTo("public");
        assertThat(rangeOf("172.32.0.0/11")).isEqualTo("public");
        assertThat(rangeOf("198.18.0.0/15")).as("benchmarking: the tests' stand-in internet").isEqualTo("public");
    }

    @Test
    void overlapIsSymmetricAndNeedsASharedAddress() {
        assertThat(Cidr.parse("10.1.0.0/16").overlaps(Cidr.parse("10.0.0.0/8"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("10.1.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("11.0.0.0/8"))).isFalse();
        assertThat(Cidr.parse("1.2.3.4").overlaps(Cidr.parse("1.2.3.4/32"))).isTrue();
    }

    @Test
    void ipv6EntriesAreRefusedSayingSandboxesHaveNoIpv6Route() {
        for (String entry : new String[] {"::1", "fd00::/8", "fe80::1", "::ffff:10.0.0.1", "64:ff9b::/96", "2001:db8::/32"}) {
            assertThatThrownBy(() -> Cidr.parse(entry)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + entry + "\" is IPv6").hasMessageContaining("no IPv6 route");
        }
    }
}
