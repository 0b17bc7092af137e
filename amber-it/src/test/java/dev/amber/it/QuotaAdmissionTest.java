package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.cli.up.DeploymentSettings;
import dev.amber.server.CapacitySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quotas and admission with real VMs. The host's memory overcommit is set so low that it has room
 * for exactly one running sandbox of {@value #MEMORY_MB} MiB (one and a half of them, rounded down):
 * a second running one is refused with 503, while a paused one holds no memory.
 */
class QuotaAdmissionTest {

    /** The base template's size: a create without resources restores its warmed-up snapshot instead of booting. */
    private static final int MEMORY_MB = 512;
    private static final String SMALL = "{}";

    private static TestDeployment amber;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        double ratio = 1.5 * MEMORY_MB / hostMemoryMiB();
        CapacitySettings capacity = new CapacitySettings(0, ratio, 4, 50, 200);
        amber = TestDeployment.start(Files.createTempDirectory(Path.of("/tmp"), "amber-it"),
                DeploymentSettings.forTests().withCapacity(capacity));
        api = amber.api();
    }

    @AfterAll
    static void stop() throws Exception {
        amber.close();
    }

    @Test
    void aSecondSandboxBeyondMaxSandboxesIs429WithTheQuotaItsLimitAndUse() throws Exception {
        String key = teamWithQuota("quota-count", "{\"maxSandboxes\":1}");
        String first = create(key);

        Api.Response second = api.call("POST", "/v1/sandboxes", key, SMALL);
        assertThat(second.status()).as(second.body()).isEqualTo(429);
        assertThat(second.errorCode()).isEqualTo("quota_exceeded");
        JsonNode details = second.json().path("error").path("details");
        assertThat(details.path("quota").asText()).isEqualTo("maxSandboxes");
        assertThat(details.path("limit").asInt()).isEqualTo(1);
        assertThat(details.path("used").asInt()).isEqualTo(1);
        assertThat(details.path("requested").asInt()).isEqualTo(1);
        assertThat(usage(key).path("sandboxes").asInt()).as("the refused create left nothing").isEqualTo(1);

        delete(key, first);
        delete(key, create(key));
    }

    @Test
    void aPausedSandboxHoldsNoVcpusButMaxRunningVcpusBlocksItsResume() throws Exception {
        String key = teamWithQuota("quota-vcpus", "{\"maxRunningVcpus\":1}");
        String paused = create(key);
        assertThat(api.call("POST", "/v1/sandboxes/" + paused + "/pause", key, null).status()).isEqualTo(200);
        assertThat(usage(key).path("runningVcpus").asInt()).isZero();
        String running = create(key);

        Api.Response resume = api.call("POST", "/v1/sandboxes/" + paused + "/resume", key, null);
        assertThat(resume.status()).as(resume.body()).isEqualTo(429);
        assertThat(resume.json().path("error").path("details").path("quota").asText()).isEqualTo("maxRunningVcpus");
        assertThat(state(key, paused)).as("a refused resume leaves the sandbox paused").isEqualTo("paused");

        delete(key, running);
        assertThat(api.call("POST", "/v1/sandboxes/" + paused + "/resume", key, null).status()).isEqualTo(200);
        delete(key, paused);
    }

    @Test
    void aHostWithoutRoomRefusesANewSandboxAndAResumeWith503() throws Exception {
        String key = teamWithQuota("admission", "{}");
        String paused = create(key);
        assertThat(api.call("POST", "/v1/sandboxes/" + paused + "/pause", key, null).status()).isEqualTo(200);
        String running = create(key);

        Api.Response refused = api.call("POST", "/v1/sandboxes", key, SMALL);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("no_capacity");
        assertThat(refused.errorMessage()).contains("no host has room", MEMORY_MB + " of ");
        Api.Response resume = api.call("POST", "/v1/sandboxes/" + paused + "/resume", key, null);
        assertThat(resume.status()).as(resume.body()).isEqualTo(503);
        assertThat(state(key, paused)).isEqualTo("paused");

        delete(key, running);
        delete(key, paused);
    }

    private static String teamWithQuota(String name, String quota) throws Exception {
        String key = api.newTeam(amber.adminKey(), name);
        String team = api.call("GET", "/v1/teams/me", key, null).json().path("id").asText();
        Api.Response set = api.call("PUT", "/v1/admin/teams/" + team + "/quota", amber.adminKey(), quota);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        return key;
    }

    private static String create(String key) throws Exception {
        Api.Response created = api.call("POST", "/v1/sandboxes", key, SMALL);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static void delete(String key, String id) throws Exception {
        assertThat(api.call("DELETE", "/v1/sandboxes/" + id, key, null).status()).isEqualTo(204);
    }

    private static String state(String key, String id) throws Exception {
        return api.call("GET", "/v1/sandboxes/" + id, key, null).json().path("state").asText();
    }

    private static JsonNode usage(String key) throws Exception {
        return api.call("GET", "/v1/teams/me", key, null).json().path("usage");
    }

    private static long hostMemoryMiB() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024).findFirst().orElseThrow();
    }
}
