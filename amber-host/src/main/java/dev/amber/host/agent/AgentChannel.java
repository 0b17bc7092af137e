package dev.amber.host.agent;

import dev.amber.host.vm.UnixSockets;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Multiplexer;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The host's end of the guest channel: QEMU's unix socket for the virtio-serial port, with the
 * multiplexer on top. Connecting waits (bounded) for the agent inside the VM to answer hello.
 */
public final class AgentChannel implements AutoCloseable {

    /** How often hello is repeated while the guest is still booting and not reading yet. */
    private static final Duration HELLO_INTERVAL = Duration.ofMillis(250);
    /**
     * How long one write to the guest may stay blocked before the connection is dropped: long
     * enough for a pause around a snapshot, short enough that a guest which stops reading its port
     * cannot hold the host's callers for ever.
     */
    public static final Duration WRITE_STALL_LIMIT = Duration.ofMinutes(5);

    private final SocketChannel socket;
    private final Multiplexer mux;
    private final Hello guestHello;

    private AgentChannel(SocketChannel socket, Multiplexer mux, Hello guestHello) {
        this.socket = socket;
        this.mux = mux;
        this.guestHello = guestHello;
    }

    public static AgentChannel connect(Path socketPath, Duration deadline) throws IOException {
        return connect(socketPath, deadline, WRITE_STALL_LIMIT);
    }

    /** Like {@link #connect(Path, Duration)}, dropping the connection after a write blocked {@code writeStallLimit}. */
    public static AgentChannel connect(Path socketPath, Duration deadline, Duration writeStallLimit) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        SocketChannel socket = UnixSockets.connect(socketPath, deadline);
        Multiplexer mux = Multiplexer.start(Channels.newInputStream(socket), Channels.newOutputStream(socket),
                Multiplexer.Side.HOST, Hello.of(Map.of("host", "amber-host")), null, "agent-" + socketPath.getParent().getFileName());
        mux.failWritesStalledFor(writeStallLimit);
        try {
            while (true) {
                try {
                    return new AgentChannel(socket, mux, mux.awaitPeerHello(HELLO_INTERVAL));
                } catch (TimeoutException e) {
                    if (System.nanoTime() > end) {
                        throw new IOException("the guest agent did not answer within " + deadline);
                    }
                    mux.sayHello();
                }
            }
        } catch (IOException | RuntimeException e) {
            mux.close();
            socket.close();
            throw e;
        }
    }

    public Multiplexer mux() {
        return mux;
    }

    /** What the agent said about itself: version, JVM start-up time, kernel. */
    public Map<String, String> guestInfo() {
        return guestHello.info();
    }

    @Override
    public void close() {
        mux.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // the VM is already gone
        }
    }
}
