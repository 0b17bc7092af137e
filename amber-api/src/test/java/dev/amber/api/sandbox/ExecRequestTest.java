package dev.amber.api.sandbox;

import dev.amber.api.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecRequestTest {

    @Test
    void builtRequestSerialisesAsTheConstructorCall() {
        ExecRequest built = ExecRequest.builder().cmd(List.of("ls", "-l")).env(Map.of("A", "1")).cwd("/tmp").user("amber")
                .stdin("in").timeoutSec(5).deadlineSec(10).build();

        assertThat(Json.of(built)).isEqualTo(Json.of(new ExecRequest(List.of("ls", "-l"), null, Map.of("A", "1"), "/tmp",
                "amber", "in", 5, 10, null, null)));
    }

    @Test
    void backgroundShellMatchesInBackground() {
        ExecRequest built = ExecRequest.builder().shell("sleep 9").background("ticks").build();

        assertThat(built).isEqualTo(ExecRequest.shell("sleep 9").inBackground("ticks"));
    }

    @Test
    void commandIsRequiredAndCmdExcludesShell() {
        assertThatThrownBy(() -> ExecRequest.builder().cwd("/").build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cmd, shell");
        assertThatThrownBy(() -> ExecRequest.builder().cmd(List.of("true")).shell("true").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cmd and shell");
    }

    @Test
    void withTimeoutSecChangesOnlyTheTimeout() {
        ExecRequest request = ExecRequest.builder().cmd(List.of("true")).user("amber").build();

        assertThat(request.withTimeoutSec(7)).isEqualTo(new ExecRequest(List.of("true"), null, null, null, "amber", null,
                7, null, null, null));
    }
}
