package dev.amber.server.host;

import java.io.InputStream;
import java.io.OutputStream;

/** Connections to ports inside a sandbox, through its guest agent. */
public interface HostPorts {

    /**
     * A TCP connection to {@code port} on the sandbox's loopback; NOT_FOUND when nothing listens there.
     */
    PortConnection open(String sandboxId, int port) throws HostException;

    /**
     * Both directions of a connection into a sandbox. Closing {@link #output()} half-closes it (the
     * sandbox's server reads end-of-stream); {@link #close()} aborts whatever is still open.
     */
    interface PortConnection extends AutoCloseable {
        InputStream input();

        OutputStream output();

        @Override
        void close();
    }
}
