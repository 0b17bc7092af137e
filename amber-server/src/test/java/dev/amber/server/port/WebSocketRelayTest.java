package dev.amber.server.port;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.amber.server.port.SandboxPort.readRequest;
import static dev.amber.server.port.SandboxPort.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A WebSocket relayed between a real client, a real Jetty server and a sandbox's WebSocket server
 * played frame by frame over a loopback socket: the handshake, messages both ways (masked towards
 * the sandbox, as a client's must be), fragments, control frames, and each way the socket ends.
 */
@Timeout(60)
class WebSocketRelayTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final BlockingQueue<String> clientEvents = new LinkedBlockingQueue<>();
    @RegisterExtension
    final ProxyFront front = new ProxyFront();

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** A frame as read off the wire, its payload unmasked. */
    private record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** The client's handshake through the relay, run while the test answers for the sandbox. */
    private CompletionStage<WebSocket> connect(String path) {
        return client.newWebSocketBuilder().header(ProxyFront.PRIVATE_HEADER, "amber-key").subprotocols("chat")
                .buildAsync(front.ws(path), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        clientEvents.add("text:" + data);
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                        clientEvents.add("binary:" + data.remaining());
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        clientEvents.add("close:" + code + ":" + reason);
                        return null;
                    }
                });
    }

    /** The sandbox's server accepts the next handshake as a WebSocket server would, choosing {@code protocol}. */
    private Socket acceptHandshake(String protocol) throws Exception {
        Socket socket = front.sandbox().accept();
        String key = readRequest(socket.getInputStream()).header("Sec-WebSocket-Key").orElseThrow();
        write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\nSec-WebSocket-Protocol: " + protocol + "\r\n\r\n");
        return socket;
    }

    private static String accept(String key) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
    }

    private static Frame readFrame(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        boolean masked = (second & 0x80) != 0;
        byte[] mask = masked ? in.readNBytes(4) : new byte[4];
        byte[] payload = in.readNBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return new Frame((first & 0x80) != 0, first & 0x0F, masked, payload);
    }

    /** A frame as a server sends it: unmasked. */
    private static void writeFrame(Socket socket, boolean fin, int opcode, byte[] payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        out.write(payload);
        out.flush();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String nextClientEvent() throws InterruptedException {
        String event = clientEvents.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event at the client within 10 s").isNotNull();
        return event;
    }

    @Test
    void handshakeReachesTheSandboxWithItsOwnKeyAndWithoutAmbersCredentials() throws Exception {
        CompletionStage<WebSocket> client = connect("/ws/chat?room=1");
        try (Socket socket = front.sandbox().accept()) {
            SandboxPort.Request handshake = readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(handshake.header("Sec-WebSocket-Key").orElseThrow())
                    + "\r\nSec-WebSocket-Protocol: chat\r\n\r\n");

            assertThat(client.toCompletableFuture().get().getSubprotocol()).isEqualTo("chat");
            assertThat(handshake.requestLine()).isEqualTo("GET /chat?room=1 HTTP/1.1");
            assertThat(handshake.headers("Host")).containsExactly("localhost:8000");
            assertThat(handshake.headers("Upgrade")).containsExactly("websocket");
            assertThat(handshake.headers("Connection")).containsExactly("Upgrade");
            assertThat(handshake.headers("Sec-WebSocket-Version")).containsExactly("13");
            assertThat(handshake.headers("Sec-WebSocket-Key")).singleElement().asString().hasSize(24);
            assertThat(handshake.headers("Sec-WebSocket-Protocol")).containsExactly("chat");
            assertThat(handshake.headers(ProxyFront.PRIVATE_HEADER)).isEmpty();
            assertThat(front.openCalls()).isEqualTo(1);
        }
    }

    @Test
    void messagesCrossBothWaysAndReachTheSandboxMasked() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = acceptHandshake("chat")) {
            WebSocket client = connecting.toCompletableFuture().get();

            client.sendText("hi there", true).get();
            Frame text = readFrame(socket);
            assertThat(text).extracting(Frame::fin, Frame::opcode, Frame::masked).containsExactly(true, 0x1, true);
            assertThat(text.text()).isEqualTo("hi there");

            byte[] big = new byte[70_000]; // over 65535 bytes: the 8-byte length form
            Arrays.fill(big, (byte) 7);
            client.sendBinary(ByteBuffer.wrap(big), true).get();
            Frame binary = readFrame(socket);
            assertThat(binary).extracting(Frame::opcode, Frame::masked).containsExactly(0x2, true);
            assertThat(binary.payload()).isEqualTo(big);

            writeFrame(socket, true, 0x1, utf8("hello"));
            assertThat(nextClientEvent()).isEqualTo("text:hello");
            writeFrame(socket, true, 0x2, new byte[300]); // the 2-byte length form
            assertThat(nextClientEvent()).isEqualTo("binary:300");
        }
    }

    @Test
    void fragmentedMessageReachesTheClientWholeThoughAPingComesBetweenItsFragments() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = acceptHandshake("chat")) {
            connecting.toCompletableFuture().get();

            writeFrame(socket, false, 0x1, utf8("frag"));
            writeFrame(socket, false, 0x0, utf8("men"));
            writeFrame(socket, true, 0x9, utf8("are you there"));
            writeFrame(socket, true, 0x0, utf8("ted"));

            Frame pong = readFrame(socket);
            assertThat(pong).extracting(Frame::opcode, Frame::masked).containsExactly(0xA, true);
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(nextClientEvent()).isEqualTo("text:fragmented");
        }
    }

    @Test
    void closeFromTheSandboxReachesTheClientWithItsCodeAndReasonAndEndsTheCall() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = acceptHandshake("chat")) {
            connecting.toCompletableFuture().get();

            byte[] close = utf8("__bye");
            close[0] = (byte) (4000 >>> 8);
            close[1] = (byte) (4000 & 0xFF);
            writeFrame(socket, true, 0x8, close);

            assertThat(nextClientEvent()).isEqualTo("close:4000:bye");
            // the relay may answer the close with its own (RFC 6455 5.5.1) before it hangs up; nothing else
            socket.setSoTimeout(10_000);
            byte[] rest = socket.getInputStream().readAllBytes();
            assertThat(rest.length == 0 || rest[0] == (byte) 0x88).as("what the relay sent after the close: %s",
                    java.util.Arrays.toString(rest)).isTrue();
            front.awaitNoOpenCalls();
        }
    }

    @Test
    void closeFromTheClientReachesTheSandboxWithItsCodeAndReason() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = acceptHandshake("chat")) {
            connecting.toCompletableFuture().get().sendClose(4001, "done").get();

            Frame close = readFrame(socket);
            assertThat(close).extracting(Frame::opcode, Frame::masked).containsExactly(0x8, true);
            assertThat(close.closeCode()).isEqualTo(4001);
            assertThat(close.closeReason()).isEqualTo("done");
            front.awaitNoOpenCalls();
        }
    }

    @Test
    void sandboxEndingTheConnectionWithoutACloseFrameClosesTheClientAsGoingAway() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = acceptHandshake("chat")) {
            connecting.toCompletableFuture().get();
        }

        assertThat(nextClientEvent()).isEqualTo("close:1001:the sandbox's server closed the connection");
        front.awaitNoOpenCalls();
    }

    @Test
    void handshakeTheSandboxRefusesIsABadGateway() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }

        assertHandshakeFailsWith502(connecting);
    }

    @Test
    void handshakeAnsweredWithAWrongAcceptKeyIsABadGateway() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept("not the key we sent") + "\r\n\r\n");
        }

        assertHandshakeFailsWith502(connecting);
    }

    @Test
    void handshakeAnsweredInAnotherProtocolIsABadGateway() throws Exception {
        CompletionStage<WebSocket> connecting = connect("/ws/echo");
        try (Socket socket = front.sandbox().accept()) {
            readRequest(socket.getInputStream());
            write(socket, "SSH-2.0-OpenSSH_9.6\r\n");
        }

        assertHandshakeFailsWith502(connecting);
    }

    private void assertHandshakeFailsWith502(CompletionStage<WebSocket> connecting) throws InterruptedException {
        assertThatThrownBy(() -> connecting.toCompletableFuture().get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(502));
        front.awaitNoOpenCalls();
    }
}
