package dev.amber.it;

import dev.amber.cli.up.DeploymentSettings;
import dev.amber.host.TestLayout;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** AMBER_DATABASE_URL: Amber on an external PostgreSQL server (Debian's), across a restart. */
class ExternalDatabaseTest {

    @Test
    void teamsKeysAndSandboxesLiveInTheExternalDatabase() throws Exception {
        try (DebianPostgres postgres = DebianPostgres.start()) {
            DeploymentSettings settings = DeploymentSettings.forTests(postgres.jdbcUrl(), DebianPostgres.USER,
                    DebianPostgres.PASSWORD);
            Path data = TestLayout.newDataDirectory();
            TestDeployment first = TestDeployment.start(data, settings);
            Api api = first.api();
            String key = api.newTeam(first.adminKey(), "external-db");
            String sandbox = api.newSandbox(key);
            assertThat(api.call("POST", "/v1/sandboxes/" + sandbox + "/exec", key, "{\"cmd\":[\"echo\",\"ok\"]}")
                    .json().path("stdout").asText()).isEqualTo("ok\n");
            assertThat(data.resolve("postgres")).doesNotExist();
            first.stop();

            try (TestDeployment second = TestDeployment.start(data, settings)) {
                Api again = second.api();
                assertThat(again.call("GET", "/v1/teams/me", key, null).json().path("name").asText()).isEqualTo("external-db");
                Api.Response after = again.call("GET", "/v1/sandboxes/" + sandbox, key, null);
                assertThat(after.json().path("state").asText()).as("paused when the first deployment stopped")
                        .isEqualTo("paused");
                again.call("POST", "/v1/sandboxes/" + sandbox + "/resume", key, null);
                assertThat(again.call("POST", "/v1/sandboxes/" + sandbox + "/exec", key, "{\"cmd\":[\"echo\",\"ok\"]}")
                        .json().path("stdout").asText()).isEqualTo("ok\n");
            }
        }
    }
}
