package dev.amber.server.port;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.host.HostPorts.PortConnection;
import dev.amber.server.sandbox.CallsInFlight;
import io.javalin.http.Context;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sandbox's end of a relayed WebSocket: Amber is the client here (RFC 6455), over a connection
 * through the guest agent. It makes the handshake, then reads whole messages (fragments joined) and
 * control frames, and writes masked frames. Compression is not offered, so frames are plain.
 */
final class SandboxWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final int CONTINUATION = 0x0;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Largest message relayed; what Jetty accepts from the client is set to the same. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The client's handshake headers that belong to its hop: this end makes its own. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-accept");

    /** A whole message (text, binary) or a control frame. */
    record Frame(int opcode, byte[] payload) {}

    private final PortConnection connection;
    private final CallsInFlight.Call activity;
    private final DataInputStream in;
    private final OutputStream out;
    private final String protocol;
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * The message being read, kept across calls of {@link #next()}: a control frame may come
     * between its fragments and is returned first (RFC 6455, 5.4). Only the relay's reader uses them.
     */
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private int messageOpcode = -1;

    private SandboxWebSocket(PortConnection connection, CallsInFlight.Call activity, DataInputStream in,
                             OutputStream out, String protocol) {
        this.connection = connection;
        this.activity = activity;
        this.in = in;
        this.out = out;
        this.protocol = protocol;
    }

    /**
     * Makes the handshake with the sandbox's server; 502 if it does not agree to a WebSocket.
     * {@code activity} marks the sandbox busy until this socket is closed.
     */
    static SandboxWebSocket open(PortConnection connection, Context ctx, PortProxy.Forward forward,
                                 CallsInFlight.Call activity) throws IOException {
        try {
            String key = Base64.getEncoder().encodeToString(randomBytes(16));
            OutputStream out = new BufferedOutputStream(connection.output());
            Map<String, String> hop = new LinkedHashMap<>();
            hop.put("Connection", "Upgrade");
            hop.put("Upgrade", "websocket");
            hop.put("Sec-WebSocket-Key", key);
            hop.put("Sec-WebSocket-Version", "13");
            RequestHead.write(out, ctx, forward, hop, HANDSHAKE_HEADERS);
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(connection.input()));
            ResponseHead head = ResponseHead.read(in);
            if (head.status() != 101) {
                throw new ApiException(ErrorCode.BAD_GATEWAY, "the sandbox's server answered the WebSocket handshake with "
                        + head.status() + " " + head.reason());
            }
            if (!head.header("Sec-WebSocket-Accept").map(accept(key)::equals).orElse(false)) {
                throw new ApiException(ErrorCode.BAD_GATEWAY, "the sandbox's server sent a wrong Sec-WebSocket-Accept");
            }
            return new SandboxWebSocket(connection, activity, in, out, head.header("Sec-WebSocket-Protocol").orElse(null));
        } catch (IOException | RuntimeException e) {
            connection.close();
            activity.close();
            if (e instanceof ResponseHead.MalformedException) {
                throw new ApiException(ErrorCode.BAD_GATEWAY, e.getMessage());
            }
            throw e;
        }
    }

    /** The subprotocol the sandbox's server chose, or null. */
    String protocol() {
        return protocol;
    }

    /** The next whole message or control frame; null once the connection has ended without a close frame. */
    Frame next() throws IOException {
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (EOFException e) {
                return null;
            }
            int second = in.readUnsignedByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if (length < 0 || message.size() + length > MAX_MESSAGE_BYTES) {
                throw new IOException("the sandbox's server sent a message over " + MAX_MESSAGE_BYTES + " bytes");
            }
            byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException("the sandbox's server ended the connection inside a frame");
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            if (opcode >= CLOSE) {
                return new Frame(opcode, payload);
            }
            if (opcode != CONTINUATION) {
                messageOpcode = opcode;
            }
            message.write(payload);
            if (fin) {
                Frame whole = new Frame(messageOpcode, message.toByteArray());
                message.reset();
                return whole;
            }
        }
    }

    void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = randomBytes(4);
        writing.lock();
        try {
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                out.write(0x80 | 126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            } else {
                out.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) payload.length >>> shift) & 0xFF);
                }
            }
            out.write(mask);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= mask[i % 4];
            }
            out.write(masked);
            out.flush();
        } finally {
            writing.unlock();
        }
    }

    /** Passes the client's close on (code and reason), then ends the connection. */
    void close(int code, String reason) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(text.length, 123)];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, payload.length - 2);
        try {
            send(CLOSE, payload);
        } catch (IOException e) {
            // the sandbox's side is gone already
        }
        close();
    }

    /** Ends the connection; either side's end may call it, only the first counts. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.close();
            activity.close();
        }
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
