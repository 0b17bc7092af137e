package dev.amber.server.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.host.grpc.HostLink;
import dev.amber.host.grpc.HostRegistration;
import dev.amber.server.Ids;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Host states over the real link on loopback: a {@link StubCluster} (a control plane with a 2 s
 * heartbeat timeout, its registry, stub hosts' real links; no VMs).
 */
class HostStatesTest {

    private static StubCluster cluster;
    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        cluster = StubCluster.start();
        server = cluster.server();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSilentHostIsUnreachableItsSandboxesSayItAndItIsReadyAgainWhenItRegisters() throws Exception {
        String sandbox;
        String hostId;
        try (HostLink link = link("silent")) {
            hostId = link.hostId();
            sandbox = pausedSandboxOn(hostId);
            JsonNode host = awaitHost(hostId, h -> h.path("agentVersion").asText().equals("test-1"));
            assertThat(host.path("state").asText()).isEqualTo("ready");
            assertThat(host.path("address").asText()).isEqualTo(cluster.host().address("silent"));
            assertThat(host.path("load").path("cpuCount").asInt()).isEqualTo(4);
            assertThat(host.path("teamId").isNull()).isTrue();
            assertThat(sandboxView(sandbox).path("hostUnreachable").asBoolean()).isFalse();
        }

        awaitHost(hostId, h -> h.path("state").asText().equals("unreachable"));
        assertThat(sandboxView(sandbox).path("hostUnreachable").asBoolean()).isTrue();
        Instant asked = Instant.now();
        Response resume = server.call("POST", "/v1/sandboxes/" + sandbox + "/resume", server.adminKey(), null);
        assertThat(resume.status()).as(resume.body()).isEqualTo(503);
        assertThat(resume.errorMessage()).contains("unreachable");
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(sandboxView(sandbox).path("state").asText()).as("not given up for lost").isEqualTo("paused");

        try (HostLink again = link("silent")) {
            assertThat(again.hostId()).isEqualTo(hostId);
            awaitHost(hostId, h -> h.path("state").asText().equals("ready"));
            assertThat(sandboxView(sandbox).path("hostUnreachable").asBoolean()).isFalse();
            assertThat(sandboxView(sandbox).path("state").asText()).isEqualTo("paused");
        }
    }

    @Test
    void aHostLinkRegistersAgainByItselfWhenTheRegistryIsBack() throws Exception {
        try (HostLink link = link("resilient")) {
            String hostId = link.hostId();
            cluster.stopRegistry();
            try {
                awaitHost(hostId, h -> h.path("state").asText().equals("unreachable"));
            } finally {
                cluster.restartRegistry();
            }
            awaitHost(hostId, h -> h.path("state").asText().equals("ready"));
        }
    }

    @Test
    void aDrainedHostTakesNoNewSandboxAndIsRemovedOnlyOnceDrainedAndEmpty() throws Exception {
        try (HostLink link = link("drained")) {
            String hostId = link.hostId();
            String sandbox = pausedSandboxOn(hostId);
            Response undrained = server.call("DELETE", "/v1/admin/hosts/" + hostId, server.adminKey(), null);
            assertThat(undrained.status()).isEqualTo(409);
            assertThat(undrained.errorMessage()).contains("not drained");

            Response drained = server.call("POST", "/v1/admin/hosts/" + hostId + "/drain", server.adminKey(), "{}");
            assertThat(drained.status()).as(drained.body()).isEqualTo(200);
            assertThat(drained.json().path("state").asText()).isEqualTo("draining");
            assertThat(server.server().hosts().hosts()).filteredOn(host -> host.id().equals(Ids.HOST.parse(hostId)
                    .orElseThrow())).singleElement().extracting(HostView::state).isEqualTo(HostState.DRAINING);
            Response create = server.call("POST", "/v1/sandboxes", server.adminKey(), "{}");
            assertThat(create.status()).as(create.body()).isEqualTo(503);
            assertThat(create.errorCode()).isEqualTo("no_capacity");

            Response busy = server.call("DELETE", "/v1/admin/hosts/" + hostId, server.adminKey(), null);
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.errorMessage()).contains("still holds 1 sandboxes");

            stopSandbox(sandbox);
            assertThat(server.call("DELETE", "/v1/admin/hosts/" + hostId, server.adminKey(), null).status())
                    .isEqualTo(204);
            assertThat(awaitHost(hostId, h -> true).path("state").asText()).isEqualTo("removed");
            assertThatThrownBy(() -> link("drained").close()).isInstanceOf(HostRegistration.RefusedException.class)
                    .hasMessageContaining("removed");
        }
    }

    @Test
    void aTeamSeesOnlyItsOwnHostsHostAdminRoutesAreForAdminsAndUnknownHostsAreNotFound() throws Exception {
        String team = server.newTeamKey("host-states-team");
        Response teamHosts = server.call("GET", "/v1/hosts", team, null);
        assertThat(teamHosts.status()).isEqualTo(200);
        assertThat(teamHosts.json().path("items")).as("a team sees only hosts it brought").isEmpty();
        String unknown = "host-" + UUID.randomUUID();
        assertThat(server.call("POST", "/v1/admin/hosts/" + unknown + "/drain", team, "{}").status()).isEqualTo(403);
        assertThat(server.call("DELETE", "/v1/admin/hosts/" + unknown, team, null).status()).isEqualTo(403);
        assertThat(server.call("POST", "/v1/admin/hosts/" + unknown + "/drain", server.adminKey(), "{}").status())
                .isEqualTo(404);
        assertThat(server.call("DELETE", "/v1/admin/hosts/nonsense", server.adminKey(), null).status()).isEqualTo(404);
        assertThat(server.call("POST", "/v1/admin/hosts/" + unknown + "/drain", server.adminKey(),
                "{\"pauseSandboxes\": \"yes\"}").status()).isEqualTo(400);
    }

    // ---- helpers ----

    private static HostLink link(String name) throws Exception {
        return cluster.link(name);
    }

    /** A paused sandbox of the admin's team recorded on {@code hostId}, which the stub agent lists. */
    private static String pausedSandboxOn(String hostId) {
        UUID id = UUID.randomUUID();
        cluster.host().holdPaused(Ids.SANDBOX.format(id));
        server.database().jdbi().useHandle(handle -> handle.createUpdate("""
                        insert into sandboxes (id, team_id, state, vcpus, memory_mb, timeout_sec, host_id)
                        values (:id, :team, 'paused', 1, 512, 0, :host)""")
                .bind("id", id).bind("team", Ids.PLATFORM_TEAM).bind("host", Ids.HOST.parse(hostId).orElseThrow())
                .execute());
        return Ids.SANDBOX.format(id);
    }

    private static void stopSandbox(String sandbox) {
        cluster.host().forget(sandbox);
        server.database().jdbi().useHandle(handle -> handle.createUpdate(
                "update sandboxes set state = 'stopped' where id = :id")
                .bind("id", Ids.SANDBOX.parse(sandbox).orElseThrow()).execute());
    }

    private static JsonNode sandboxView(String sandbox) throws Exception {
        Response response = server.call("GET", "/v1/sandboxes/" + sandbox, server.adminKey(), null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Host {@code hostId} as GET /v1/hosts shows it, once {@code until} holds (within 15 s). */
    private static JsonNode awaitHost(String hostId, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        JsonNode host = null;
        while (Instant.now().isBefore(deadline)) {
            Response list = server.call("GET", "/v1/hosts?pageSize=500", server.adminKey(), null);
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            host = Optional.ofNullable(findHost(list.json(), hostId)).orElse(null);
            if (host != null && until.test(host)) {
                return host;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("host " + hostId + " did not get there in time; last seen as " + host);
    }

    private static JsonNode findHost(JsonNode page, String hostId) {
        for (JsonNode host : page.path("items")) {
            if (host.path("id").asText().equals(hostId)) {
                return host;
            }
        }
        return null;
    }
}
