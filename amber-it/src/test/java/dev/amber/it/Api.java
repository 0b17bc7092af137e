package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP against a running Amber, for tests that check statuses and bodies exactly. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String url) {
        this.url = url;
    }

    Response call(String method, String path, String key, String body) throws IOException, InterruptedException {
        return send(method, path, key, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), "application/json");
    }

    Response send(String method, String path, String key, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(5))
                .method(method, body).header("Content-Type", contentType);
        if (key != null) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** The answer's JSON (null for an empty body); fails the test unless its status is {@code expectedStatus}. */
    JsonNode expect(String method, String path, String key, String body, int expectedStatus)
            throws IOException, InterruptedException {
        Response response = call(method, path, key, body);
        if (response.status() != expectedStatus) {
            throw new AssertionError(method + " " + path + " -> " + response.status() + " " + response.body());
        }
        return response.body().isEmpty() ? null : response.json();
    }

    /** Creates a team as the admin and returns its first key. */
    String newTeam(String adminKey, String name) throws IOException, InterruptedException {
        Response created = call("POST", "/v1/admin/teams", adminKey, "{\"name\":\"" + name + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("team creation failed: " + created);
        }
        return created.json().path("apiKey").path("secret").asText();
    }

    /** A running sandbox of the key's team. */
    String newSandbox(String key) throws IOException, InterruptedException {
        Response created = call("POST", "/v1/sandboxes", key, "{}");
        if (created.status() != 201) {
            throw new IllegalStateException("sandbox creation failed: " + created);
        }
        return created.json().path("id").asText();
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }

        String errorMessage() {
            return json().path("error").path("message").asText();
        }
    }
}
