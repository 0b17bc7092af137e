package dev.amber.server.quota;

import dev.amber.server.CapacitySettings;
import dev.amber.server.ServerFixture;
import dev.amber.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key rate limit through real HTTP, on a server with a rate low enough to reach. */
class RateLimitApiTest {

    /** Two requests a second, bursts of four. */
    private static final CapacitySettings SLOW = new CapacitySettings(0, 1.0, 4, 2, 4);

    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start((id, address) -> {
            throw new IOException("this test server connects to no host");
        }, ServerSettings.forTests().withCapacity(SLOW));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aKeyOverItsRateIsRefusedWithRetryAfterAndServedAgainOnceItWaited() throws Exception {
        String key = server.newTeamKey("rate-team");
        for (int i = 0; i < 4; i++) {
            assertThat(get(key).statusCode()).as("request %d of the burst", i + 1).isEqualTo(200);
        }
        HttpResponse<String> refused = get(key);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"rate_limited\"");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(get(server.adminKey()).statusCode()).as("another key has its own bucket").isEqualTo(200);

        Thread.sleep(retryAfter * 1000);
        assertThat(get(key).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String key) throws Exception {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/teams/me"))
                .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
    }
}
