package dev.amber.host.grpc;

import com.google.protobuf.ByteString;
import dev.amber.host.agent.AgentClient;
import dev.amber.proto.host.v1.PortOpen;
import dev.amber.proto.host.v1.PortOpened;
import dev.amber.proto.host.v1.PortRequest;
import dev.amber.proto.host.v1.PortResponse;
import dev.amber.proto.link.LinkLimits;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * One TCP connection into a sandbox, relayed between the control plane's call and a tunnel through
 * the guest agent. Each direction has its own flow control: the client may have {@link #WINDOW}
 * chunks on their way to the guest, and the guest's bytes are sent no faster than the client reads
 * ({@link ReadyGate}). When the guest's side of the connection ends, the call completes: the
 * connection is over, as it is for a server that closes it.
 */
final class PortRelay implements StreamObserver<PortRequest> {

    private static final int WINDOW = 4;
    /** A connection may stay quiet as long as its ends like (a WebSocket waiting for events). */
    private static final Duration QUIET_LIMIT = Duration.ofHours(24);
    private static final int READ_BYTES = 64 * 1024;

    private final Agents agents;
    private final ServerCallStreamObserver<PortResponse> response;
    private final ReadyGate ready;
    private ChunkPipe toGuest;
    private volatile AgentClient.Tunnel tunnel;
    private boolean refused;

    /** Must be constructed inside the service method: flow control can only be set up there. */
    PortRelay(Agents agents, StreamObserver<PortResponse> response) {
        this.agents = requireNonNull(agents, "agents");
        this.response = (ServerCallStreamObserver<PortResponse>) requireNonNull(response, "response");
        this.ready = new ReadyGate(this.response, "connection");
        this.response.disableAutoRequest();
        this.response.setOnReadyHandler(ready::wake);
        this.response.setOnCancelHandler(() -> {
            ready.wake();
            abandon(Status.CANCELLED.withDescription("the client closed the connection"));
        });
        this.response.request(1);
    }

    @Override
    public void onNext(PortRequest message) {
        if (refused) {
            return;
        }
        switch (message.getPayloadCase()) {
            case OPEN -> {
                if (toGuest != null) {
                    refuse("open may only be sent once, as the first message");
                } else {
                    start(message.getOpen());
                }
            }
            case CHUNK -> {
                if (toGuest == null) {
                    refuse("the first message must be open (sandbox id, port)");
                } else if (message.getChunk().size() > LinkLimits.CHUNK_BYTES) {
                    refuse("chunks must be at most " + LinkLimits.CHUNK_BYTES + " bytes, got " + message.getChunk().size());
                } else {
                    toGuest.offer(message.getChunk());
                }
            }
            case PAYLOAD_NOT_SET -> refuse("a port message must carry open or a chunk");
        }
    }

    @Override
    public void onError(Throwable t) {
        abandon(Status.CANCELLED.withDescription("the client abandoned the connection: " + t.getMessage()));
    }

    /** The client half-closed: the guest's server reads end-of-stream. */
    @Override
    public void onCompleted() {
        if (toGuest != null) {
            toGuest.finish();
        }
    }

    private void start(PortOpen open) {
        if (open.getPort() < 1 || open.getPort() > 65535) {
            refuse("port must be 1-65535, got " + open.getPort());
            return;
        }
        toGuest = new ChunkPipe(() -> response.request(1), QUIET_LIMIT);
        response.request(WINDOW);
        Thread.ofVirtual().name("port-" + open.getSandboxId() + "-" + open.getPort()).start(() -> relay(open));
    }

    private void relay(PortOpen open) {
        try (AgentClient.Tunnel connected = agents.of(open.getSandboxId()).connect(open.getPort())) {
            tunnel = connected;
            if (response.isCancelled()) {
                return;
            }
            ready.await();
            response.onNext(PortResponse.newBuilder().setOpened(PortOpened.getDefaultInstance()).build());
            Thread.ofVirtual().name("port-up-" + open.getSandboxId()).start(() -> forward(toGuest, connected.output()));
            InputStream fromGuest = connected.input();
            byte[] buffer = new byte[READ_BYTES];
            int n;
            while ((n = fromGuest.read(buffer)) >= 0) {
                ready.await();
                response.onNext(PortResponse.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
            }
            toGuest.failure().ifPresentOrElse(response::onError, response::onCompleted);
        } catch (IOException | RuntimeException e) {
            if (!response.isCancelled()) {
                response.onError(toGuest.failure().orElseGet(() -> HostStatuses.of(e)));
            }
        }
    }

    /** The client's bytes into the guest; the client's half-close becomes the guest socket's. */
    private static void forward(InputStream fromClient, OutputStream toGuestSocket) {
        try (toGuestSocket) {
            fromClient.transferTo(toGuestSocket);
        } catch (IOException e) {
            // the connection ended either way; the relay thread reports what matters
        }
    }

    private void refuse(String why) {
        refused = true;
        StatusException status = Status.INVALID_ARGUMENT.withDescription(why).asException();
        if (toGuest == null) {
            response.onError(status);
        } else {
            abandon(status.getStatus());
        }
    }

    private void abandon(Status why) {
        if (toGuest != null) {
            toGuest.fail(why.asException());
        }
        AgentClient.Tunnel open = tunnel;
        if (open != null) {
            open.close();
        }
    }
}
