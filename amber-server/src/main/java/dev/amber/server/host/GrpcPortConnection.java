package dev.amber.server.host;

import com.google.protobuf.ByteString;
import dev.amber.proto.host.v1.PortOpen;
import dev.amber.proto.host.v1.PortRequest;
import dev.amber.proto.host.v1.PortResponse;
import dev.amber.proto.link.ChunkInputStream;
import dev.amber.proto.link.LinkLimits;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * A connection into a sandbox carried by one bidirectional OpenPort call: chunks in both
 * directions, one reader thread and one writer thread (all the blocking call allows).
 */
final class GrpcPortConnection implements HostPorts.PortConnection {

    private final BlockingClientCall<PortRequest, PortResponse> call;
    private final Function<StatusException, HostException> failure;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    GrpcPortConnection(BlockingClientCall<PortRequest, PortResponse> call,
                       Function<StatusException, HostException> failure) {
        this.call = call;
        this.failure = failure;
    }

    /** Asks for the connection and waits for the host to report the guest connected; cancels on failure. */
    GrpcPortConnection open(String sandboxId, int port) throws HostException {
        try {
            send(PortRequest.newBuilder().setOpen(PortOpen.newBuilder().setSandboxId(sandboxId).setPort(port)).build());
            PortResponse first = call.read();
            if (first == null || !first.hasOpened()) {
                throw new HostException(HostException.Kind.UNAVAILABLE,
                        "the host ended the connection before it was open");
            }
            return this;
        } catch (StatusException e) {
            close();
            throw failure.apply(e);
        } catch (InterruptedException e) {
            close();
            throw interrupted("opening the port");
        } catch (HostException e) {
            close();
            throw e;
        }
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        call.cancel("connection closed", null);
    }

    private final class Input extends ChunkInputStream {
        @Override
        protected ByteString nextChunk() throws IOException {
            PortResponse next = next();
            return next == null ? null : next.getChunk();
        }

        private PortResponse next() throws IOException {
            try {
                return call.read();
            } catch (StatusException e) {
                throw failure.apply(e);
            } catch (InterruptedException e) {
                throw interrupted("reading from the sandbox");
            }
        }
    }

    private final class Output extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            for (int sent = 0; sent < length; ) {
                int chunk = Math.min(length - sent, LinkLimits.CHUNK_BYTES);
                send(PortRequest.newBuilder().setChunk(ByteString.copyFrom(bytes, offset + sent, chunk)).build());
                sent += chunk;
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    call.halfClose();
                } catch (IllegalStateException e) {
                    // the call is already over
                }
            }
        }
    }

    /** Sends one message, waiting for the host to take it. */
    private void send(PortRequest message) throws HostException {
        try {
            if (!call.write(message)) {
                throw new HostException(HostException.Kind.UNAVAILABLE,
                        "the sandbox closed the connection");
            }
        } catch (StatusException e) {
            throw failure.apply(e);
        } catch (InterruptedException e) {
            throw interrupted("writing to the sandbox");
        }
    }

    private static HostException interrupted(String doing) {
        Thread.currentThread().interrupt();
        return new HostException(HostException.Kind.UNAVAILABLE, "interrupted " + doing);
    }
}
