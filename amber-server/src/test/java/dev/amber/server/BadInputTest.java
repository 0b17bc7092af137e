package dev.amber.server;

import dev.amber.server.ServerFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests that must be refused with a clear 4xx before any host is asked, leaving nothing behind. */
class BadInputTest {

    private static ServerFixture server;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.withoutHosts();
        key = server.newTeamKey("bad-input");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Response create(String body) throws Exception {
        return server.call("POST", "/v1/sandboxes", key, body);
    }

    private static void assertRefused(Response response, int status, String code, String messagePart) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.errorMessage()).contains(messagePart);
        assertThat(server.call("GET", "/v1/sandboxes", key, null).json().path("items")).isEmpty();
    }

    @Test
    void unknownTemplate() throws Exception {
        assertRefused(create("{\"template\":\"no-such-template\"}"), 422, "unprocessable", "unknown template \"no-such-template\"");
    }

    @Test
    void vcpusOutOfRange() throws Exception {
        assertRefused(create("{\"vcpus\":0}"), 400, "bad_request", "vcpus must be between 1 and 16, got 0");
        assertRefused(create("{\"vcpus\":1000}"), 400, "bad_request", "got 1000");
    }

    @Test
    void memoryBelowTheMinimum() throws Exception {
        assertRefused(create("{\"memoryMb\":16}"), 400, "bad_request", "memoryMb must be between 128");
    }

    @Test
    void diskOutOfRange() throws Exception {
        assertRefused(create("{\"diskSizeMb\":10}"), 400, "bad_request", "diskSizeMb must be between 2048");
    }

    @Test
    void egressToPrivateLinkLocalOrIpv6NetworksIsRefusedNamingTheEntry() throws Exception {
        assertRefused(create("{\"network\":{\"allowOut\":[\"169.254.169.254\"]}}"), 400, "bad_request",
                "\"169.254.169.254\" overlaps 169.254.0.0/16");
        assertRefused(create("{\"network\":{\"allowOut\":[\"10.0.0.0/8\"]}}"), 400, "bad_request",
                "AMBER_ALLOW_PRIVATE_EGRESS=1");
        assertRefused(create("{\"network\":{\"allowOut\":[\"fc00::/7\"]}}"), 400, "bad_request",
                "\"fc00::/7\" is IPv6");
    }

    @Test
    void malformedJson() throws Exception {
        assertRefused(create("{\"vcpus\": 1,"), 400, "bad_request", "malformed JSON");
        assertRefused(create("[1,2]"), 400, "bad_request", "wrong shape");
        assertRefused(create(""), 400, "bad_request", "request body is missing");
    }

    @Test
    void unknownFields() throws Exception {
        assertRefused(create("{\"cpus\":2}"), 400, "bad_request", "unknown field \"cpus\"");
    }

    @Test
    void wrongTypes() throws Exception {
        assertRefused(create("{\"vcpus\":\"two\"}"), 400, "bad_request", "field \"vcpus\" has the wrong type");
        assertRefused(create("{\"metadata\":{\"a\":[1]}}"), 400, "bad_request", "metadata");
    }

    @Test
    void sourcesAndEntrypointRules() throws Exception {
        assertRefused(create("{\"template\":\"base\",\"snapshotId\":\"snap-1\"}"), 400, "bad_request", "at most one source");
        assertRefused(create("{\"image\":{\"uri\":\"debian\"},\"snapshotId\":\"snap-1\",\"entrypoint\":[\"sh\"]}"), 400,
                "bad_request", "at most one source");
        assertRefused(create("{\"entrypoint\":[\"/bin/sh\"]}"), 400, "bad_request", "entrypoint is only allowed with image");
        assertRefused(create("{\"template\":\"base\",\"entrypoint\":[\"/bin/sh\"]}"), 400, "bad_request",
                "entrypoint is only allowed with image");
        assertRefused(create("{\"snapshotId\":\"snap-1\",\"entrypoint\":[\"/bin/sh\"]}"), 400, "bad_request",
                "entrypoint is not allowed with snapshotId");
        assertRefused(create("{\"image\":{\"uri\":\"debian\"}}"), 400, "bad_request", "entrypoint is required with image");
        assertRefused(create("{\"image\":{\"uri\":\"debian\"},\"entrypoint\":[\"sh\"]}"), 422, "unprocessable",
                "import it as a template");
    }

    @Test
    void unknownSnapshotSourceIs404() throws Exception {
        assertRefused(create("{\"snapshotId\":\"snap-00000000-0000-0000-0000-000000000000\"}"), 404, "not_found",
                "no snapshot snap-00000000-0000-0000-0000-000000000000");
        assertRefused(create("{\"snapshotId\":\"no-such-name\"}"), 404, "not_found", "no snapshot no-such-name");
    }

    @Test
    void sandboxRoutesOnUnknownIdsAre404() throws Exception {
        for (String id : new String[] {"sb-00000000-0000-0000-0000-000000000000", "nonsense", "sb-../../etc"}) {
            Response response = server.call("GET", "/v1/sandboxes/" + id, key, null);
            assertThat(response.status()).isEqualTo(404);
            assertThat(server.call("POST", "/v1/sandboxes/" + id + "/exec", key, "{\"cmd\":[\"true\"]}").status()).isEqualTo(404);
        }
    }

    @Test
    void unknownStateFilter() throws Exception {
        Response response = server.call("GET", "/v1/sandboxes?state=sleeping", key, null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorMessage()).contains("unknown state \"sleeping\"");
    }

    @Test
    void badPaging() throws Exception {
        assertThat(server.call("GET", "/v1/sandboxes?pageSize=501", key, null).status()).isEqualTo(400);
        assertThat(server.call("GET", "/v1/sandboxes?page=-1", key, null).status()).isEqualTo(400);
        assertThat(server.call("GET", "/v1/sandboxes?page=abc", key, null).errorMessage()).contains("whole number");
    }

    @Test
    void noHostMeansNoCapacity() throws Exception {
        Response response = create("{}");

        assertRefused(response, 503, "no_capacity", "no host is available");
    }

    @Test
    void pinningAHostThatIsNotOneIsAnUnknownHost() throws Exception {
        assertRefused(create("{\"hostId\":\"nope\"}"), 404, "not_found", "unknown host nope");
        assertRefused(create("{\"hostId\":\"host-00000000-0000-0000-0000-000000000019\"}"), 404, "not_found",
                "unknown host host-00000000-0000-0000-0000-000000000019");
    }
}
