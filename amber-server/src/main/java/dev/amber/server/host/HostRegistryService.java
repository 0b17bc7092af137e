package dev.amber.server.host;

import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.HeartbeatResponse;
import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.host.v1.RegisterResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import dev.amber.server.Ids;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Hosts announcing themselves, checked and handed to the {@link HostRegistrations}. */
final class HostRegistryService extends HostRegistryGrpc.HostRegistryImplBase {

    private static final System.Logger LOG = System.getLogger("amber.hosts");

    private final HostRegistrations registrations;

    HostRegistryService(HostRegistrations registrations) {
        this.registrations = requireNonNull(registrations, "registrations");
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        String hostId;
        try {
            hostId = registrations.register(requireName(request.getName()), requireAddress(request.getAddress()),
                    ProtoConversions.facts(request.getFacts()),
                    request.getSandboxesList().stream().map(ProtoConversions::sandbox).toList());
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        } catch (RegistrationRefusedException e) {
            response.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asException());
            return;
        } catch (IOException e) {
            response.onError(Status.UNAVAILABLE.withDescription("could not record host " + request.getName() + ": "
                    + e.getMessage() + "; try again").asException());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "registering host " + request.getName() + " failed", e);
            response.onError(Status.INTERNAL.withDescription("registering failed unexpectedly; see the server's log")
                    .asException());
            return;
        }
        response.onNext(RegisterResponse.newBuilder().setHostId(hostId).build());
        response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        boolean known;
        try {
            known = caller(request).map(id -> registrations.heartbeat(id, ProtoConversions.heartbeat(request, Instant.now())))
                    .orElse(false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "recording a heartbeat of " + request.getHostId() + " failed", e);
            response.onError(Status.INTERNAL.withDescription("recording the heartbeat failed; see the server's log")
                    .asException());
            return;
        }
        response.onNext(HeartbeatResponse.newBuilder().setKnown(known).build());
        response.onCompleted();
    }

    /**
     * The calling host: the id it sends, until the link identifies hosts by their certificate (then
     * this is the one place that reads the certificate's id instead). Empty when it is no host id.
     */
    private static Optional<UUID> caller(HeartbeatRequest request) {
        return Ids.HOST.parse(request.getHostId());
    }

    private static String requireName(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a host must register with a name (e.g. its hostname)");
        }
        return name;
    }

    /** Checked here so that a typo fails the registration, not every later call to the host. */
    private static String requireAddress(String address) {
        int colon = address.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address must be host:port where the host's agent listens, got \""
                    + address + "\"");
        }
        return address;
    }
}
