package dev.amber.sdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.amber.api.Page;
import dev.amber.sdk.error.AmberConnectionException;
import dev.amber.sdk.error.AmberException;
import dev.amber.sdk.error.AmberTimeoutException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import static java.util.Objects.requireNonNull;

/**
 * HTTP and JSON for every call: authentication, deadlines, and turning error responses and broken
 * exchanges into {@link AmberException}s. Resource classes only say which endpoint and what type.
 */
final class Transport implements AutoCloseable {

    private static final String API_KEY_HEADER = "X-API-Key";
    private static final String JSON = "application/json";
    private static final String BINARY = "application/octet-stream";

    private final URI baseUrl;
    private final String apiKey;
    private final AmberOptions options;
    private final HttpClient client;
    private final ObjectMapper json;
    private final ErrorDecoder errors;

    Transport(URI baseUrl, String apiKey, AmberOptions options, SSLContext sslContext) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        this.apiKey = requireNonNull(apiKey, "apiKey");
        this.options = requireNonNull(options, "options");
        // HTTP/1.1: the JDK's h2c upgrade attempt buys nothing against the server and muddles streamed bodies.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout()).sslContext(requireNonNull(sslContext, "sslContext")).build();
        this.json = objectMapper();
        this.errors = new ErrorDecoder(json);
    }

    /**
     * Lenient on input, unlike the server: a newer server may add fields this client does not know.
     * Absent optional fields are left out of requests rather than sent as null.
     */
    static ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.USE_DEFAULTS))
                .build();
    }

    AmberOptions options() {
        return options;
    }

    <T> T get(String path, Query query, Class<T> type) {
        return sendJson(request(path, query, options.requestTimeout()).GET(), json.constructType(type));
    }

    <T> Page<T> getPage(String path, Query query, Class<T> itemType) {
        JavaType pageType = json.getTypeFactory().constructParametricType(Page.class, itemType);
        return sendJson(request(path, query, options.requestTimeout()).GET(), pageType);
    }

    <T> T post(String path, Object body, Class<T> type, Duration timeout) {
        HttpRequest.Builder request = request(path, Query.empty(), timeout)
                .header("Content-Type", JSON)
                .POST(BodyPublishers.ofByteArray(writeJson(body)));
        return sendJson(request, json.constructType(type));
    }

    <T> T patch(String path, Object body, Class<T> type) {
        HttpRequest.Builder request = request(path, Query.empty(), options.requestTimeout())
                .header("Content-Type", JSON)
                .method("PATCH", BodyPublishers.ofByteArray(writeJson(body)));
        return sendJson(request, json.constructType(type));
    }

    /** A POST that carries nothing: the path says it all, as in {@code /pause}. */
    <T> T post(String path, Class<T> type, Duration timeout) {
        return sendJson(request(path, Query.empty(), timeout).POST(BodyPublishers.noBody()), json.constructType(type));
    }

    void delete(String path, Query query) {
        send(request(path, query, options.requestTimeout()).DELETE().build(), BodyHandlers.discarding());
    }

    /** A raw-body upload answered with JSON; the body is streamed by whatever publisher is given. */
    <T> T upload(String path, Query query, BodyPublisher body, Class<T> type) {
        HttpRequest.Builder request = request(path, query, options.transferTimeout())
                .header("Content-Type", BINARY)
                .PUT(body);
        return sendJson(request, json.constructType(type));
    }

    /** A raw-body download; {@code handler} decides where the bytes go and sees them only on success. */
    <T> T download(String path, Query query, BodyHandler<T> handler) {
        return send(request(path, query, options.transferTimeout()).GET().build(), handler);
    }

    /**
     * Opens a WebSocket to {@code path}; a refused handshake becomes the exception for its error
     * response, as for any other call.
     */
    WebSocket webSocket(String path, Query query, WebSocket.Listener listener) {
        URI uri = URI.create((baseUrl + path + query.toQueryString()).replaceFirst("^http", "ws"));
        String described = "GET " + uri.getRawPath();
        try {
            return client.newWebSocketBuilder().header(API_KEY_HEADER, apiKey).connectTimeout(options.connectTimeout())
                    .buildAsync(uri, listener).get(options.createTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                HttpResponse<?> response = refused.getResponse();
                throw errors.decode(response.statusCode(), response.body() instanceof String body ? body : "", described);
            }
            throw new AmberConnectionException(described + " could not open a WebSocket: " + summary(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new AmberTimeoutException(described + " got no WebSocket within " + options.createTimeout().toSeconds()
                    + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmberException("interrupted", 0, described + " was interrupted", Map.of(), e);
        }
    }

    ObjectMapper json() {
        return json;
    }

    ErrorDecoder errors() {
        return errors;
    }

    private HttpRequest.Builder request(String path, Query query, Duration timeout) {
        // Appended, not resolved: resolving an absolute path would drop a base path such as https://proxy/amber.
        return HttpRequest.newBuilder(URI.create(baseUrl + path + query.toQueryString()))
                .timeout(timeout)
                .header(API_KEY_HEADER, apiKey)
                .header("Accept", JSON + ", " + BINARY);
    }

    /** Parsed after the exchange, not inside a body subscriber, where the client would wrap failures in IOException. */
    private <T> T sendJson(HttpRequest.Builder builder, JavaType type) {
        HttpRequest request = builder.build();
        byte[] body = send(request, BodyHandlers.ofByteArray());
        try {
            return json.readValue(body, type);
        } catch (IOException | RuntimeException e) {
            throw new AmberException("invalid_response", 0, describe(request) + " answered with something other than "
                    + type.getRawClass().getSimpleName() + " JSON (" + summary(e) + "); is the URL an Amber server?",
                    Map.of(), e);
        }
    }

    private <T> T send(HttpRequest request, BodyHandler<T> onSuccess) {
        String described = describe(request);
        HttpResponse<Reply<T>> response;
        try {
            response = client.send(request, info -> info.statusCode() / 100 == 2
                    ? BodySubscribers.mapping(onSuccess.apply(info), Reply::success)
                    : BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), Reply::failure));
        } catch (HttpConnectTimeoutException e) {
            throw new AmberTimeoutException("could not connect to Amber at " + baseUrl + " within "
                    + options.connectTimeout().toSeconds() + "s; check the URL and that the server is up", e);
        } catch (HttpTimeoutException e) {
            throw new AmberTimeoutException(described + " got no answer within " + seconds(request)
                    + "s; raise the timeout in AmberOptions if the server is just slow", e);
        } catch (ConnectException e) {
            throw new AmberConnectionException("cannot reach Amber at " + baseUrl + " (" + summary(e)
                    + "); is the server running and is the URL right?", e);
        } catch (IOException e) {
            throw new AmberConnectionException(described + " broke off: " + summary(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmberException("interrupted", 0, described + " was interrupted", Map.of(), e);
        }
        Reply<T> reply = response.body();
        if (reply.errorBody() != null) {
            throw errors.decode(response.statusCode(), reply.errorBody(), described);
        }
        return reply.value();
    }

    private byte[] writeJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri().getRawPath();
    }

    private static long seconds(HttpRequest request) {
        return request.timeout().map(Duration::toSeconds).orElse(0L);
    }

    /** The JDK's connection exceptions often have no message; their type is the useful part. */
    private static String summary(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() {
        client.close();
    }

    /** A response body: the handler's value on success, the raw text of an error body otherwise. */
    private record Reply<T>(T value, String errorBody) {
        static <T> Reply<T> success(T value) {
            return new Reply<>(value, null);
        }

        static <T> Reply<T> failure(String errorBody) {
            return new Reply<>(null, errorBody);
        }
    }
}
