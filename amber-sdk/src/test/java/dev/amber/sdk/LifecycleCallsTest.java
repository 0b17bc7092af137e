package dev.amber.sdk;

import dev.amber.api.sandbox.UpdateSandboxRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** What keep-alive, settings changes and a create without waiting send, against {@link FakeServer}. */
class LifecycleCallsTest {

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

    private static String sandbox(String state, int timeoutSec, boolean autoResume) {
        return "{\"id\": \"sb-1\", \"state\": \"" + state + "\", \"timeoutSec\": " + timeoutSec + ", \"autoResume\": "
                + autoResume + ", \"lastActivityAt\": \"2026-01-01T00:00:00Z\"}";
    }
}
