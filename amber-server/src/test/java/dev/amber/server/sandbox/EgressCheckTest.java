package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.NetworkSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which egress policies the API accepts, with and without the operator's AMBER_ALLOW_PRIVATE_EGRESS. */
class EgressCheckTest {

    private static final EgressCheck STRICT = new EgressCheck(false);
    private static final EgressCheck PRIVATE_ALLOWED = new EgressCheck(true);

    private static NetworkSettings allowing(String... cidrs) {
        return NetworkSettings.builder().allowOut(List.of(cidrs)).build();
    }

    @Test
    void privateRangesInAllowOutAreRefusedNamingTheEntryAndTheSetting() {
        assertThatThrownBy(() -> STRICT.check(allowing("203.0.113.0/24", "192.168.1.10")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).contains("\"192.168.1.10\"", "192.168.0.0/16", "AMBER_ALLOW_PRIVATE_EGRESS=1");
                    assertThat(e.details()).containsEntry("entry", "192.168.1.10").containsEntry("range", "192.168.0.0/16");
                });
    }

    @Test
    void theOperatorMayOpenPrivateRangesButNeverTheMetadataAddressLoopbackOrAmbersLinks() {
        assertThat(PRIVATE_ALLOWED.check(allowing("10.1.0.0/16", "100.64.0.0/13")).allowOut())
                .containsExactly("10.1.0.0/16", "100.64.0.0/13");

        for (String never : List.of("169.254.169.254", "127.0.0.1", "100.72.0.1", "0.0.0.0/0", "224.0.0.251")) {
            assertThatThrownBy(() -> PRIVATE_ALLOWED.check(allowing(never))).as(never)
                    .isInstanceOf(ApiException.class).hasMessageContaining("\"" + never + "\"")
                    .hasMessageContaining("can never reach");
        }
    }

    @Test
    void denyOutMayNameAnyIpv4Network() {
        NetworkSettings network = NetworkSettings.builder().denyOut(List.of("10.0.0.0/8", "169.254.169.254")).build();

        assertThat(STRICT.check(network).denyOut()).containsExactly("10.0.0.0/8", "169.254.169.254");
    }

    @Test
    void overlappingEntriesOfOneListAreRefusedBecauseTheFirewallSetWouldBe() {
        assertThatThrownBy(() -> STRICT.check(allowing("203.0.113.0/24", "203.0.113.7")))
                .isInstanceOf(ApiException.class).hasMessageContaining("\"203.0.113.0/24\" and \"203.0.113.7\" overlap");
    }

    @Test
    void malformedAndIpv6EntriesAreRefusedNamingTheList() {
        assertThatThrownBy(() -> STRICT.check(NetworkSettings.builder().denyOut(List.of("fe80::/10")).build()))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("network.denyOut: \"fe80::/10\" is IPv6");
        assertThatThrownBy(() -> STRICT.check(allowing("example.com")))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("network.allowOut: not an IPv4 address");
    }

    @Test
    void absentFieldsTakeTheirDefaults() {
        assertThat(STRICT.check(NetworkSettings.builder().build())).isEqualTo(NetworkSettings.DEFAULT);
    }
}
