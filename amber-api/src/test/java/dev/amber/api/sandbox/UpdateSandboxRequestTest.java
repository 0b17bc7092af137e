package dev.amber.api.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateSandboxRequestTest {

    @Test
    void builtUpdateHasOnlyWhatWasSet() {
        assertThat(UpdateSandboxRequest.builder().metadata(Map.of("k", "v")).build())
                .isEqualTo(new UpdateSandboxRequest(null, null, Map.of("k", "v")));
    }

    @Test
    void builtNetworkSettingsNormaliseAsTheConstructorCall() {
        NetworkSettings built = NetworkSettings.builder().denyOut(List.of("198.51.100.7/32")).publicPorts(false).build();

        assertThat(built).isEqualTo(new NetworkSettings(null, null, List.of("198.51.100.7/32"), false));
        assertThat(built.normalized()).isEqualTo(new NetworkSettings(true, List.of(), List.of("198.51.100.7/32"), false));
    }
}
