package dev.amber.host.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A QEMU Machine Protocol client: the commands Amber sends, as typed methods, as JSON over QEMU's
 * unix socket. One reader thread sorts replies from asynchronous events; every command waits for
 * its reply with a deadline.
 */
public final class QmpClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode CLOSED = JSON.createObjectNode().put("closed", true);
    /** How long a command may take; none of those below does real work before answering. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Longest QMP message read; Amber's commands answer in a few hundred bytes. */
    private static final int MAX_LINE_BYTES = 1024 * 1024;
    /** Replies kept unclaimed (answers to commands that timed out); past it the oldest go. */
    private static final int MAX_PENDING_REPLIES = 64;

    private final SocketChannel channel;
    private final OutputStream out;
    private final LinkedBlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>(MAX_PENDING_REPLIES);
    private final AtomicLong nextId = new AtomicLong();

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects (retrying until QEMU has created the socket) and leaves capabilities negotiation. */
    public static QmpClient connect(Path socket, Duration deadline) throws IOException {
        SocketChannel channel = UnixSockets.connect(socket, deadline);
        QmpClient client = new QmpClient(channel);
        BoundedLineReader reader = new BoundedLineReader(Channels.newInputStream(channel), MAX_LINE_BYTES);
        Thread.ofPlatform().daemon().name("qmp-" + socket.getParent().getFileName()).start(() -> client.readLoop(reader));
        client.await(deadline); // the greeting
        client.execute("qmp_capabilities", Map.of(), deadline);
        return client;
    }

    /** Stops the vCPUs. */
    public void stop() throws IOException {
        execute("stop", Map.of(), DEADLINE);
    }

    /** Starts (or resumes) the vCPUs. */
    public void cont() throws IOException {
        execute("cont", Map.of(), DEADLINE);
    }

    /** Asks QEMU to exit; it answers, then closes the socket as it exits. */
    public void quit(Duration deadline) throws IOException {
        execute("quit", Map.of(), deadline);
    }

    /** The run state: "running", "paused", "inmigrate", "finish-migrate"... */
    public String queryStatus() throws IOException {
        return execute("query-status", Map.of(), DEADLINE).path("status").asText();
    }

    /** Where an outgoing migration stands, and QEMU's reason when it failed. */
    public record MigrationStatus(String status, String errorDescription) {}

    public MigrationStatus queryMigrate() throws IOException {
        JsonNode status = execute("query-migrate", Map.of(), DEADLINE);
        return new MigrationStatus(status.path("status").asText(), status.path("error-desc").asText("QEMU gave no reason"));
    }

    public void migrateSetCapability(String capability, boolean state) throws IOException {
        execute("migrate-set-capabilities", Map.of("capabilities", List.of(Map.of("capability", capability, "state", state))),
                DEADLINE);
    }

    public void migrateSetMaxBandwidth(long bytesPerSecond) throws IOException {
        execute("migrate-set-parameters", Map.of("max-bandwidth", bytesPerSecond), DEADLINE);
    }

    /**
     * Adds qcow2 node {@code nodeName} on {@code filename} (an fd set's path) without a backing
     * node yet (a {@link #blockdevSnapshot} gives it one); image locking off, as on the command line.
     */
    public void blockdevAddQcow2(String nodeName, String filename) throws IOException {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("driver", "qcow2");
        node.put("node-name", nodeName);
        node.put("file", Map.of("driver", "file", "filename", filename, "locking", "off"));
        node.put("backing", null);
        execute("blockdev-add", node, DEADLINE);
    }

    /** Makes {@code overlay} the active layer of {@code node}, which becomes its backing. */
    public void blockdevSnapshot(String node, String overlay) throws IOException {
        execute("blockdev-snapshot", Map.of("node", node, "overlay", overlay), DEADLINE);
    }

    public void blockdevDel(String nodeName) throws IOException {
        execute("blockdev-del", Map.of("node-name", nodeName), DEADLINE);
    }

    /** Runs a command and returns its "return" value; a QMP error becomes an exception with QEMU's words. */
    private JsonNode execute(String command, Map<String, ?> arguments, Duration deadline) throws IOException {
        String id = "amber-" + nextId.incrementAndGet();
        ObjectNode request = JSON.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            // one write: QEMU acts on a command as soon as its JSON object is complete, so after a
            // quit, a newline written separately could find the socket already closed (EPIPE)
            out.write(line);
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            JsonNode reply = await(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            if (!id.equals(reply.path("id").asText())) {
                continue; // a reply to a command that timed out earlier
            }
            if (reply.has("error")) {
                throw new IOException("QMP " + command + " failed: " + reply.path("error").path("desc").asText());
            }
            return reply.path("return");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket whose peer is gone
        }
    }

    private JsonNode await(Duration timeout) throws IOException {
        try {
            JsonNode reply = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (reply == null) {
                throw new IOException("QMP did not answer within " + timeout);
            }
            if (reply == CLOSED) {
                enqueue(CLOSED);
                throw new IOException("QMP connection closed (QEMU exited)");
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for QMP");
        }
    }

    /** Events are read and dropped (none is waited for), so a guest that triggers them in a loop costs nothing. */
    private void readLoop(BoundedLineReader reader) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode message = JSON.readTree(line);
                if (!message.has("event")) {
                    enqueue(message);
                }
            }
        } catch (IOException e) {
            // the socket closed: QEMU is gone or we closed it
        } finally {
            enqueue(CLOSED);
        }
    }

    private void enqueue(JsonNode message) {
        while (!replies.offer(message)) {
            replies.poll(); // the oldest: a reply nobody waits for any more
        }
    }
}
