package dev.amber.sdk;

import dev.amber.api.sandbox.ExecRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.amber.api.template.TemplateStep.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What creating sandboxes, building templates and running commands send, against {@link FakeServer}. */
class CreationCallsTest {

    private static final String SANDBOX = "{\"id\": \"sb-1\", \"state\": \"running\"}";

    private FakeServer server;
    private Amber amber;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
        amber = Amber.connect(server.url(), "amb_test");
    }

    @AfterEach
    void stop() {
        amber.close();
        server.close();
    }

    @Test
    void createWithOptionsSendsOnlyWhatTheyGive() {
        server.reply(201, SANDBOX);

        amber.sandboxes().create(sandbox -> sandbox.fromTemplate("python").memoryMb(1024).metadata(Map.of("owner", "ci")));

        assertThat(server.requests().getFirst().toString()).isEqualTo(
                "POST /v1/sandboxes {\"template\":\"python\",\"memoryMb\":1024,\"metadata\":{\"owner\":\"ci\"}}");
    }

    @Test
    void createWithTwoSourcesFailsBeforeAnythingIsSent() {
        assertThatThrownBy(() -> amber.sandboxes().create(sandbox -> sandbox.fromTemplate("python").fromSnapshot("snap-1")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void defaultAndTemplateShortcutsSendTheirSourceOnly() {
        server.reply(201, SANDBOX).reply(201, SANDBOX);

        amber.sandboxes().create();
        amber.sandboxes().fromTemplate("python");

        assertThat(server.requests()).map(FakeServer.Request::toString).containsExactly(
                "POST /v1/sandboxes {}", "POST /v1/sandboxes {\"template\":\"python\"}");
    }

    @Test
    void templateBuildSendsTheRecipe() {
        server.reply(202, "{\"buildId\": \"bld-1\", \"status\": \"queued\"}");

        Build build = amber.templates().build("web", recipe -> recipe.step(run("pip install flask")).readyCmd("true"));

        assertThat(build.id()).isEqualTo("bld-1");
        assertThat(server.requests().getFirst().toString()).isEqualTo("POST /v1/templates {\"name\":\"web\",\"steps\":"
                + "[{\"type\":\"run\",\"cmd\":\"pip install flask\"}],\"readyCmd\":\"true\"}");
    }

    @Test
    void execWithoutTimeoutSendsTheClientsExecTimeout() {
        server.reply(200, SANDBOX).reply(200, "{\"exitCode\": 0, \"stdout\": \"\", \"stderr\": \"\"}");
        Sandbox sandbox = amber.sandboxes().get("sb-1");

        sandbox.exec(ExecRequest.builder().cmd(List.of("true")).user("amber").build());

        assertThat(server.requests().getLast().toString()).isEqualTo("POST /v1/sandboxes/sb-1/exec "
                + "{\"cmd\":[\"true\"],\"user\":\"amber\",\"timeoutSec\":"
                + AmberOptions.defaults().execTimeout().toSeconds() + "}");
    }
}
