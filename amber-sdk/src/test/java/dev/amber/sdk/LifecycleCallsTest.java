package dev.amber.sdk;

import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.UpdateSandboxRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.amber.api.template.TemplateStep.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What creating sandboxes, building templates, running commands, keep-alive and settings changes
 * send, against {@link FakeServer}.
 */
class LifecycleCallsTest {

    private static final String RUNNING = sandbox("running", 300, true);

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
    void createWithoutWaitingSendsWaitFalseAndReturnsTheCreatingSandbox() {
        server.reply(201, sandbox("creating", 300, true));

        Sandbox sandbox = amber.sandboxes().create(
                request -> request.timeoutSec(60).autoResume(false).waitUntilRunning(false));

        assertThat(sandbox.view().state()).isEqualTo("creating");
        assertThat(server.requests().getFirst().toString())
                .isEqualTo("POST /v1/sandboxes {\"timeoutSec\":60,\"autoResume\":false,\"wait\":false}");
    }

    @Test
    void pingPostsNothingAndUpdatePatchesOnlyWhatIsGiven() {
        server.reply(200, sandbox("running", 300, true)).reply(200, sandbox("running", 300, true))
                .reply(200, sandbox("running", 30, false));
        Sandbox sandbox = amber.sandboxes().get("sb-1");

        assertThat(sandbox.ping().lastActivityAt()).isNotNull();
        sandbox.update(UpdateSandboxRequest.builder().timeoutSec(30).autoResume(false).build());

        assertThat(sandbox.view().timeoutSec()).isEqualTo(30);
        assertThat(sandbox.view().autoResume()).isFalse();
        assertThat(server.requests()).map(FakeServer.Request::toString).containsExactly(
                "GET /v1/sandboxes/sb-1", "POST /v1/sandboxes/sb-1/ping",
                "PATCH /v1/sandboxes/sb-1 {\"timeoutSec\":30,\"autoResume\":false}");
    }

    @Test
    void createWithOptionsSendsOnlyWhatTheyGive() {
        server.reply(201, RUNNING);

        amber.sandboxes().create(request -> request.fromTemplate("python").memoryMb(1024).metadata(Map.of("owner", "ci")));

        assertThat(server.requests().getFirst().toString()).isEqualTo(
                "POST /v1/sandboxes {\"template\":\"python\",\"memoryMb\":1024,\"metadata\":{\"owner\":\"ci\"}}");
    }

    @Test
    void createWithTwoSourcesFailsBeforeAnythingIsSent() {
        assertThatThrownBy(() -> amber.sandboxes().create(request -> request.fromTemplate("python").fromSnapshot("snap-1")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void defaultAndTemplateShortcutsSendTheirSourceOnly() {
        server.reply(201, RUNNING).reply(201, RUNNING);

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
        server.reply(200, RUNNING).reply(200, "{\"exitCode\": 0, \"stdout\": \"\", \"stderr\": \"\"}");
        Sandbox sandbox = amber.sandboxes().get("sb-1");

        sandbox.exec(ExecRequest.builder().cmd(List.of("true")).user("amber").build());

        assertThat(server.requests().getLast().toString()).isEqualTo("POST /v1/sandboxes/sb-1/exec "
                + "{\"cmd\":[\"true\"],\"user\":\"amber\",\"timeoutSec\":"
                + AmberOptions.defaults().execTimeout().toSeconds() + "}");
    }

    private static String sandbox(String state, int timeoutSec, boolean autoResume) {
        return "{\"id\": \"sb-1\", \"state\": \"" + state + "\", \"timeoutSec\": " + timeoutSec + ", \"autoResume\": "
                + autoResume + ", \"lastActivityAt\": \"2026-01-01T00:00:00Z\"}";
    }
}
