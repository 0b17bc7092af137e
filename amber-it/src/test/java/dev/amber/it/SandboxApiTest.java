package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amber.host.network.SandboxNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox API over real HTTP on a real deployment: exec, files, and what it refuses. */
class SandboxApiTest {

    private static TestDeployment amber;
    private static Api api;
    private static String key;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        amber = TestDeployment.start();
        api = amber.api();
        key = api.newTeam(amber.adminKey(), "api-users");
        id = api.newSandbox(key);
    }

    @AfterAll
    static void stop() throws Exception {
        amber.close();
    }

    private static Api.Response exec(String body) throws Exception {
        return api.call("POST", "/v1/sandboxes/" + id + "/exec", key, body);
    }

    @Test
    void execRunsCommandsWithInputEnvironmentAndTimeouts() throws Exception {
        JsonNode shell = exec("{\"shell\":\"echo $GREETING; cat; echo oops >&2; exit 3\",\"env\":{\"GREETING\":\"hi\"},"
                + "\"stdin\":\"from stdin\\n\"}").json();
        assertThat(shell.path("stdout").asText()).isEqualTo("hi\nfrom stdin\n");
        assertThat(shell.path("stderr").asText()).isEqualTo("oops\n");
        assertThat(shell.path("exitCode").asInt()).isEqualTo(3);

        JsonNode slow = exec("{\"cmd\":[\"sleep\",\"60\"],\"timeoutSec\":1}").json();
        assertThat(slow.path("timedOut").asBoolean()).isTrue();
        assertThat(slow.path("exitCode").asInt()).isEqualTo(137);

        JsonNode user = exec("{\"cmd\":[\"id\",\"-un\"],\"user\":\"amber\",\"cwd\":\"/tmp\"}").json();
        assertThat(user.path("stdout").asText()).isEqualTo("amber\n");
    }

    @Test
    void operatorsSeeHostLoadAndPrometheusMetrics() throws Exception {
        JsonNode host = api.call("GET", "/v1/hosts", amber.adminKey(), null).json().path("items").get(0);
        JsonNode load = host.path("load");
        assertThat(load.path("cpuCount").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(load.path("cpuPercent").asDouble()).isBetween(0.0, 100.0);
        assertThat(load.path("memoryAvailableBytes").asLong()).isPositive()
                .isLessThan(load.path("memoryTotalBytes").asLong());
        assertThat(load.path("diskFreeBytes").asLong()).isPositive().isLessThanOrEqualTo(load.path("diskTotalBytes").asLong());

        assertThat(exec("{\"cmd\":[\"true\"]}").status()).isEqualTo(200);
        Api.Response scrape = api.call("GET", "/metrics", null, null);
        assertThat(scrape.status()).isEqualTo(200);
        PrometheusText metrics = PrometheusText.parse(scrape.body());
        assertThat(metrics.value("amber_sandboxes", Map.of("state", "running"))).isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("amber_host_cpu_count", Map.of("host", host.path("id").asText())))
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(metrics.value("amber_sandbox_transitions_seconds_count", Map.of("from", "creating", "to", "running")))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.types).containsEntry("amber_sandbox_transitions_seconds", "histogram")
                .containsEntry("amber_http_requests_seconds", "histogram");
        assertThat(metrics.value("amber_http_requests_seconds_count",
                Map.of("method", "POST", "route", "/v1/sandboxes/{id}/exec", "status", "200"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void execRefusesAmbiguousOrBrokenRequests() throws Exception {
        Api.Response both = exec("{\"cmd\":[\"true\"],\"shell\":\"true\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.errorMessage()).contains("exactly one of cmd");
        assertThat(exec("{}").status()).isEqualTo(400);
        assertThat(exec("{\"cmd\":[\"true\"],\"timeoutSec\":0}").status()).isEqualTo(400);
        Api.Response badUser = exec("{\"cmd\":[\"true\"],\"user\":\"nobody-here\"}");
        assertThat(badUser.status()).isEqualTo(400);
        assertThat(badUser.errorMessage()).contains("nobody-here");
    }

    @Test
    void filesStreamInAndOutByteForByte() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(5).nextBytes(data);
        Api.Response uploaded = api.send("PUT", "/v1/sandboxes/" + id + "/files?path=/root/data/blob.bin&mode=600", key,
                HttpRequest.BodyPublishers.ofByteArray(data), "application/octet-stream");
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
        assertThat(uploaded.json().path("size").asLong()).isEqualTo(data.length);

        HttpResponse<byte[]> downloaded = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(amber.url() + "/v1/sandboxes/" + id + "/files?path=/root/data/blob.bin"))
                .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(sha256(downloaded.body())).isEqualTo(sha256(data));

        JsonNode stat = api.call("GET", "/v1/sandboxes/" + id + "/files/stat?path=/root/data/blob.bin", key, null).json();
        assertThat(stat.path("size").asLong()).isEqualTo(data.length);
        assertThat(stat.path("mode").asText()).isEqualTo("600");
        assertThat(stat.path("type").asText()).isEqualTo("file");

        HttpResponse<byte[]> middle = download("/root/data/blob.bin", "bytes=1000000-1000099");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000000-1000099/" + data.length);
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 1_000_000, 1_000_100));
        assertThat(download("/root/data/blob.bin", "bytes=-10").body())
                .isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 10, data.length));
        assertThat(download("/root/data/blob.bin", "bytes=" + (data.length - 3) + "-").body())
                .isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 3, data.length));
        HttpResponse<byte[]> past = download("/root/data/blob.bin", "bytes=" + data.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(new String(past.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("range_not_satisfiable");
        assertThat(download("/root/data/blob.bin", "bytes=0-1,5-6").statusCode()).as("several ranges: all").isEqualTo(200);
    }

    private HttpResponse<byte[]> download(String path, String range) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(amber.url() + "/v1/sandboxes/" + id + "/files?path=" + path))
                .header("X-API-Key", key).header("Range", range).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void directoryOperationsOverHttp() throws Exception {
        assertThat(api.call("POST", "/v1/sandboxes/" + id + "/files/mkdir", key, "{\"path\":\"/srv/a/b\"}").status()).isEqualTo(200);
        api.send("PUT", "/v1/sandboxes/" + id + "/files?path=/srv/a/one.txt", key,
                HttpRequest.BodyPublishers.ofString("1"), "application/octet-stream");
        JsonNode moved = api.call("POST", "/v1/sandboxes/" + id + "/files/move", key,
                "{\"from\":\"/srv/a/one.txt\",\"to\":\"/srv/a/b/two.txt\"}").json();
        assertThat(moved.path("path").asText()).isEqualTo("/srv/a/b/two.txt");

        JsonNode listing = api.call("GET", "/v1/sandboxes/" + id + "/files/list?path=/srv/a/b", key, null).json();
        assertThat(listing.path("items").findValuesAsText("name")).containsExactly("two.txt");
        assertThat(listing.path("items").get(0).path("path").asText()).isEqualTo("/srv/a/b/two.txt");

        Api.Response notEmpty = api.call("DELETE", "/v1/sandboxes/" + id + "/files?path=/srv/a", key, null);
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(api.call("DELETE", "/v1/sandboxes/" + id + "/files?path=/srv/a&recursive=true", key, null).status())
                .isEqualTo(204);
        Api.Response gone = api.call("GET", "/v1/sandboxes/" + id + "/files/stat?path=/srv/a", key, null);
        assertThat(gone.status()).as(gone.body()).isEqualTo(404);
        assertThat(gone.errorMessage()).contains("/srv/a");
    }

    @Test
    void badPathsAreRefusedBeforeTheGuestIsAsked() throws Exception {
        Api.Response nul = api.call("GET", "/v1/sandboxes/" + id + "/files/stat?path=/etc/pass%00wd", key, null);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.errorMessage()).contains("NUL");
        assertThat(api.call("GET", "/v1/sandboxes/" + id + "/files/stat?path=etc/passwd", key, null).status()).isEqualTo(400);
        assertThat(api.call("GET", "/v1/sandboxes/" + id + "/files/stat", key, null).errorMessage()).contains("\"path\"");
        assertThat(api.call("PUT", "/v1/sandboxes/" + id + "/files?path=/tmp/x&mode=999", key, "x").status()).isEqualTo(400);
    }

    @Test
    void uploadLargerThanTheDiskIsRefusedUpFrontAndLeavesNothing() throws Exception {
        long tenGigabytes = 10L * 1024 * 1024 * 1024;
        String statusLine;
        try (Socket socket = new Socket("127.0.0.1", amber.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v1/sandboxes/" + id + "/files?path=/root/huge.bin HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + key + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + tenGigabytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }

        assertThat(statusLine).startsWith("HTTP/1.1 413");
        assertThat(api.call("GET", "/v1/sandboxes/" + id + "/files/stat?path=/root/huge.bin", key, null).status()).isEqualTo(404);
        JsonNode tmpFiles = exec("{\"shell\":\"ls -a /root | grep -c amber-upload || true\"}").json();
        assertThat(tmpFiles.path("stdout").asText().strip()).isEqualTo("0");
    }

    @Test
    void deletedSandboxesAreStoppedAndRefuseWork() throws Exception {
        String doomed = api.newSandbox(key);

        assertThat(api.call("DELETE", "/v1/sandboxes/" + doomed, key, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/v1/sandboxes/" + doomed, key, null).json().path("state").asText()).isEqualTo("stopped");
        Api.Response refused = api.call("POST", "/v1/sandboxes/" + doomed + "/exec", key, "{\"cmd\":[\"true\"]}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorMessage()).contains("stopped");
        assertThat(api.call("DELETE", "/v1/sandboxes/" + doomed, key, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/v1/sandboxes?state=running", key, null).json().path("items").findValuesAsText("id"))
                .containsExactly(id);
        assertThat(api.call("GET", "/v1/sandboxes", key, null).json().path("items").findValuesAsText("id"))
                .as("live sandboxes by default").contains(id).doesNotContain(doomed);
        assertThat(api.call("GET", "/v1/sandboxes?state=stopped", key, null).json().path("items").findValuesAsText("id"))
                .contains(doomed).doesNotContain(id);
        assertThat(api.call("GET", "/v1/sandboxes?state=all", key, null).json().path("items").findValuesAsText("id"))
                .contains(id, doomed);
    }

    @Test
    void networkPolicyIsValidatedAppliedAndKept() throws Exception {
        Api.Response bad = api.call("POST", "/v1/sandboxes", key, "{\"network\":{\"allowOut\":[\"example.com\"]}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorMessage()).contains("example.com");
        assertThat(api.call("POST", "/v1/sandboxes", key, "{\"network\":{\"internet\":\"yes\"}}").status()).isEqualTo(400);

        assertThat(api.call("GET", "/v1/sandboxes/" + id, key, null).json().path("network").path("internet").asBoolean())
                .isTrue();
        Api.Response changed = api.call("PUT", "/v1/sandboxes/" + id + "/network", key,
                "{\"internet\":false,\"allowOut\":[\"198.18.0.0/15\"]}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("network").path("internet").asBoolean()).isFalse();
        assertThat(changed.json().path("network").path("allowOut").get(0).asText()).isEqualTo("198.18.0.0/15");
        JsonNode kept = api.call("GET", "/v1/sandboxes/" + id, key, null).json().path("network");
        assertThat(kept.path("allowOut").get(0).asText()).isEqualTo("198.18.0.0/15");
        String installed = installedRules(id);
        assertThat(installed).contains("table inet amber", "198.18.0.0/15", "meta nfproto ipv6 drop")
                .doesNotContain("table ip amber");

        for (String refused : List.of("169.254.169.254", "10.0.0.0/8", "fd00::/8")) {
            Api.Response badEntry = api.call("PUT", "/v1/sandboxes/" + id + "/network", key,
                    "{\"allowOut\":[\"" + refused + "\"]}");
            assertThat(badEntry.status()).as(badEntry.body()).isEqualTo(400);
            assertThat(badEntry.errorMessage()).contains("\"" + refused + "\"");
        }
        assertThat(installedRules(id)).as("refused policies change nothing on the host").isEqualTo(installed);

        Api.Response badChange = api.call("PUT", "/v1/sandboxes/" + id + "/network", key, "{\"denyOut\":[\"10.0.0.0/33\"]}");
        assertThat(badChange.status()).isEqualTo(400);
        assertThat(api.call("GET", "/v1/sandboxes/" + id, key, null).json().path("network").path("internet").asBoolean())
                .isFalse();
        assertThat(api.call("PUT", "/v1/sandboxes/" + id + "/network", key, "{}").json().path("network")
                .path("internet").asBoolean()).isTrue();
    }

    /** The nftables table the host installed in the sandbox's namespace. */
    private static String installedRules(String sandbox) throws Exception {
        Process nft = new ProcessBuilder("ip", "netns", "exec", SandboxNetwork.namespaceOf(sandbox),
                "nft", "list", "table", "inet", "amber").redirectErrorStream(true).start();
        String rules = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(nft.waitFor()).as(rules).isZero();
        return rules;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
