package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw client of the process WebSockets, as a user's program would be: JSON text messages one way
 * and the other, output in binary messages tagged by stream. It keeps everything it receives.
 */
final class ProcessSocketClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partialText = new StringBuilder();
    private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
    private volatile WebSocket socket;
    private volatile Integer closeCode;

    static ProcessSocketClient connect(HttpClient http, String url, String key) throws Exception {
        ProcessSocketClient client = new ProcessSocketClient();
        client.socket = http.newWebSocketBuilder().header("X-API-Key", key)
                .buildAsync(URI.create(url.replace("http://", "ws://")), client).get(60, TimeUnit.SECONDS);
        return client;
    }

    void sendJson(String json) throws Exception {
        socket.sendText(json, true).get(10, TimeUnit.SECONDS);
    }

    void sendBytes(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    void type(String keys) throws Exception {
        sendBytes(keys.getBytes(StandardCharsets.UTF_8));
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    Integer closeCode() {
        return closeCode;
    }

    /** Waits until stdout satisfies {@code until}; fails with what arrived if it does not within the time. */
    String awaitStdout(Predicate<String> until, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!until.test(stdout())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("stdout did not get there within " + within + "; got: " + stdout()
                        + "; frames: " + frames);
            }
            Thread.sleep(20);
        }
        return stdout();
    }

    /** The first JSON message of {@code type}, waiting up to {@code within} for it. */
    JsonNode awaitFrame(String type, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            for (JsonNode frame : frames) {
                if (frame.path("type").asText().equals(type)) {
                    return frame;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + type + " message within " + within + "; got: " + frames + "; stdout: " + stdout());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partialText.toString()));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + partialText, e);
            }
            partialText.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBinary.writeBytes(bytes);
        if (last) {
            byte[] message = partialBinary.toByteArray();
            partialBinary.reset();
            synchronized (this) {
                (message[0] == 2 ? stderr : stdout).write(message, 1, message.length - 1);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
