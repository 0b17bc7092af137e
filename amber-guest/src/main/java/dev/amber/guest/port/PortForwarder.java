package dev.amber.guest.port;

import dev.amber.guest.GuestException;
import dev.amber.protocol.message.Count;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Joins a stream to a TCP connection on the guest's loopback: the host reaches a sandbox's
 * servers through the agent channel, so no address of the sandbox has to be routable.
 */
public final class PortForwarder {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    public void connect(Stream stream, Request.Connect request) throws IOException, InterruptedException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", request.port()), CONNECT_TIMEOUT_MILLIS);
        } catch (ConnectException e) {
            socket.close();
            throw new GuestException(ErrorCode.NOT_FOUND, "nothing listens on port " + request.port() + " in the sandbox");
        }
        try (socket) {
            stream.send(Tags.REPLY, new Count(0).encode());
            Thread upstream = Thread.ofVirtual().start(() -> copyToSocket(stream, socket));
            copyToStream(socket.getInputStream(), stream);
            upstream.join();
        }
    }

    private static void copyToStream(InputStream from, Stream stream) {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                stream.send(Tags.DATA, buffer, 0, n);
            }
            stream.end();
        } catch (IOException e) {
            stream.reset("connection in the sandbox failed: " + e.getMessage());
        }
    }

    private static void copyToSocket(Stream stream, Socket socket) {
        try {
            OutputStream to = socket.getOutputStream();
            Message message;
            while ((message = stream.receive()) != null) {
                to.write(message.data());
                to.flush();
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            try {
                socket.close(); // the host went away: unblock the other direction
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
