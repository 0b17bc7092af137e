package dev.amber.host.grpc;

import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.link.LinkChannel;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.PeerCheck;
import io.grpc.Status;
import io.grpc.StatusException;

import java.io.IOException;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * This host's calls to the control plane's registry: it announces itself (name, address, facts and
 * what it runs now) and then says how it is doing. {@link HostLink} keeps that going.
 */
public final class HostRegistration implements AutoCloseable {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final LinkChannel channel;
    private final HostRegistryGrpc.HostRegistryBlockingV2Stub registry;

    private HostRegistration(LinkChannel channel) {
        this.channel = channel;
        this.registry = HostRegistryGrpc.newBlockingV2Stub(channel.channel());
    }

    /** {@code serverAddress}: host:port of the control plane's link port; {@code identity}: this host's certificate and key. */
    public static HostRegistration connect(String serverAddress, LinkCredentials identity) {
        return new HostRegistration(LinkChannel.open(serverAddress, identity, identity.peer(PeerCheck.SERVER)));
    }

    /**
     * Registers this host as {@code name}, reachable for calls at {@code advertisedAddress}
     * (host:port of its {@link HostAgentServer}); returns the id the control plane knows it by.
     *
     * @throws RefusedException the control plane refused this host or the request: retrying will not help
     * @throws IOException the control plane could not be reached or failed
     */
    public String register(String name, String advertisedAddress, SandboxRuntime runtime) throws IOException {
        return register(HostReport.of(runtime).registration(name, advertisedAddress));
    }

    /** Sends {@code request}; returns the id the control plane knows this host by. Throws as {@link #register(String, String, SandboxRuntime)}. */
    public String register(RegisterRequest request) throws IOException {
        requireNonNull(request, "request");
        try {
            return registry.withDeadlineAfter(DEADLINE).register(request).getHostId();
        } catch (StatusException e) {
            throw failure("did not register host " + request.getName(), e);
        }
    }

    /**
     * Sends a heartbeat; false when the control plane does not know this host (any more): it must
     * register again. Throws as {@link #register(String, String, SandboxRuntime)}.
     */
    public boolean heartbeat(HeartbeatRequest request) throws IOException {
        requireNonNull(request, "request");
        try {
            return registry.withDeadlineAfter(DEADLINE).heartbeat(request).getKnown();
        } catch (StatusException e) {
            throw failure("did not take this host's heartbeat", e);
        }
    }

    private IOException failure(String what, StatusException e) {
        Status status = e.getStatus();
        String message = "the control plane at " + channel.address() + " " + what + ": " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription());
        return switch (status.getCode()) {
            case UNAUTHENTICATED, INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION, NOT_FOUND ->
                    new RefusedException(message, e);
            default -> new IOException(message, e);
        };
    }

    /** The control plane's address as this host dials it. */
    public String serverAddress() {
        return channel.address();
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The control plane answered and said no (an unknown or removed host, a bad request). */
    public static final class RefusedException extends IOException {
        public RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
