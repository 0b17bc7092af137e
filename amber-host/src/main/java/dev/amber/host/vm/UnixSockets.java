package dev.amber.host.vm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** Connections to the unix sockets QEMU serves, waiting (bounded) for QEMU to create them. */
public final class UnixSockets {

    private UnixSockets() {}

    public static SocketChannel connect(Path socket, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        IOException last = null;
        do {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (IOException e) {
                channel.close();
                last = e;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted connecting to " + socket);
            }
        } while (System.nanoTime() < end);
        throw new IOException("cannot connect to " + socket + " within " + deadline + ": " + last.getMessage());
    }
}
