package dev.amber.server.port;

import dev.amber.server.host.HostPorts.PortConnection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sandbox's server, played by the test over a real loopback socket: the proxy gets a
 * {@link PortConnection} whose streams are a socket's, as the guest agent's tunnel would give it,
 * and the test accepts the other end and answers with whatever bytes it wants.
 */
final class SandboxPort implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;

    SandboxPort() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(TIMEOUT_MILLIS);
    }

    /** A new connection to the port, the way the host would open one through the guest agent. */
    PortConnection connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        return new SocketConnection(socket, socket.getInputStream(), socket.getOutputStream());
    }

    private record SocketConnection(Socket socket, InputStream input, OutputStream output) implements PortConnection {
        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The server's end of the next connection the proxy opens. */
    Socket accept() throws IOException {
        Socket socket = server.accept();
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** A request as the sandbox's server received it: the head's lines (without CRLF) and the decoded body. */
    record Request(List<String> head, byte[] body) {

        String requestLine() {
            return head.getFirst();
        }

        /** The values of header {@code name}, case-insensitively, in order. */
        List<String> headers(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.stream().skip(1).filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).toList();
        }

        Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads one request: its head, then its body as Content-Length or chunked framing says. */
    static Request readRequest(InputStream in) throws IOException {
        List<String> head = new ArrayList<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            head.add(line);
        }
        Request request = new Request(List.copyOf(head), new byte[0]);
        Optional<String> length = request.header("Content-Length");
        if (length.isPresent()) {
            return new Request(request.head(), in.readNBytes(Integer.parseInt(length.get())));
        }
        if (request.header("Transfer-Encoding").filter("chunked"::equals).isPresent()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(line(in), 16)) > 0) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            return new Request(request.head(), body.toByteArray());
        }
        return request;
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection ended inside a line: " + line);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }
}
