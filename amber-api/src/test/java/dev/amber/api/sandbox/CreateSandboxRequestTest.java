package dev.amber.api.sandbox;

import dev.amber.api.Json;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreateSandboxRequestTest {

    @Test
    void builtRequestSerialisesAsTheConstructorCallWithEveryField() {
        NetworkSettings network = NetworkSettings.builder().internet(false).allowOut(List.of("203.0.113.0/24")).build();
        CreateSandboxRequest built = CreateSandboxRequest.builder().fromTemplate("python").vcpus(2).memoryMb(1024)
                .diskSizeMb(8192L).timeoutSec(60).autoPause(false).env(Map.of("A", "1"))
                .metadata(Map.of("owner", "ci")).network(network).autoResume(false).waitUntilRunning(false).onHost("host-1").build();

        CreateSandboxRequest constructed = new CreateSandboxRequest("python", null, null, null, 2, 1024, 8192L, 60, false,
                Map.of("A", "1"), Map.of("owner", "ci"), new NetworkSettings(false, List.of("203.0.113.0/24"), null, null),
                false, false, "host-1");

        assertThat(built).isEqualTo(constructed);
        assertThat(Json.of(built)).isEqualTo(Json.of(constructed)).contains("\"wait\":false");
    }

    @Test
    void emptyBuilderSendsNothingButNulls() {
        assertThat(Json.of(CreateSandboxRequest.builder().build())).isEqualTo(Json.of(new CreateSandboxRequest(null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null)));
    }

    @Test
    void snapshotAndImageSourcesFillTheirFields() {
        assertThat(CreateSandboxRequest.builder().fromSnapshot("snap-1").build().snapshotId()).isEqualTo("snap-1");

        CreateSandboxRequest image = CreateSandboxRequest.builder()
                .fromImage(Map.of("uri", "oci-archive:/srv/app.tar"), List.of("/app/run")).build();

        assertThat(Json.of(image)).isEqualTo(Json.of(new CreateSandboxRequest(null, Map.of("uri", "oci-archive:/srv/app.tar"),
                null, List.of("/app/run"), null, null, null, null, null, null, null, null, null, null, null)));
    }

    @Test
    void twoSourcesAreRefusedAtBuildNamingBoth() {
        CreateSandboxRequest.Builder builder = CreateSandboxRequest.builder().fromTemplate("python").fromSnapshot("snap-1");

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fromTemplate and fromSnapshot");
    }

    @Test
    void settingTheSameSourceAgainReplacesIt() {
        assertThat(CreateSandboxRequest.builder().fromTemplate("a").fromTemplate("b").build().template()).isEqualTo("b");
    }

    @Test
    void laterChangesToAGivenMapDoNotReachTheRequest() {
        Map<String, String> metadata = new HashMap<>(Map.of("owner", "ci"));
        CreateSandboxRequest.Builder builder = CreateSandboxRequest.builder().metadata(metadata);

        metadata.put("extra", "x");

        assertThat(builder.build().metadata()).containsExactly(Map.entry("owner", "ci"));
    }
}
