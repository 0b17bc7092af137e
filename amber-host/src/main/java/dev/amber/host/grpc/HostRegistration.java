package dev.amber.host.grpc;

import dev.amber.host.sandbox.SandboxRuntime;
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

/** How this host announces itself to the control plane: name, address, facts and what it runs now. */
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
        RegisterRequest request = RegisterRequest.newBuilder()
                .setName(requireNonNull(name, "name"))
                .setAddress(requireNonNull(advertisedAddress, "advertisedAddress"))
                .setFacts(ProtoConversions.facts(runtime))
                .addAllSandboxes(runtime.list().stream().map(ProtoConversions::status).toList())
                .build();
        try {
            return registry.withDeadlineAfter(DEADLINE).register(request).getHostId();
        } catch (StatusException e) {
            Status status = e.getStatus();
            String message = "the control plane at " + channel.address() + " did not register host " + name + ": "
                    + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
            throw switch (status.getCode()) {
                case UNAUTHENTICATED, INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND -> new RefusedException(message, e);
                default -> new IOException(message, e);
            };
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The control plane answered and said no (unknown host, bad request). */
    public static final class RefusedException extends IOException {
        public RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
