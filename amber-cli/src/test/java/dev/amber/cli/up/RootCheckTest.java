package dev.amber.cli.up;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RootCheckTest {

    @Test
    void rootIsRefusedUnlessAllowedExplicitly() {
        assertThat(RootCheck.refusal(true, Map.of())).hasValueSatisfying(message ->
                assertThat(message).contains("AMBER_ALLOW_ROOT=1"));
        assertThat(RootCheck.refusal(true, Map.of("AMBER_ALLOW_ROOT", "yes"))).isPresent();
    }

    @Test
    void rootIsAcceptedWithAllowRootSetToOne() {
        assertThat(RootCheck.refusal(true, Map.of("AMBER_ALLOW_ROOT", "1"))).isEmpty();
    }

    @Test
    void anUnprivilegedUserIsNeverRefused() {
        assertThat(RootCheck.refusal(false, Map.of())).isEmpty();
    }
}
