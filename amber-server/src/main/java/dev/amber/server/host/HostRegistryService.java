package dev.amber.server.host;

import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.HeartbeatResponse;
import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.host.v1.RegisterResponse;
import dev.amber.proto.link.PeerCheck;
import dev.amber.proto.link.PeerIdentity;
import dev.amber.server.Ids;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static dev.amber.server.host.HostRequestChecks.requireAddress;
import static dev.amber.server.host.HostRequestChecks.requireName;
import static java.util.Objects.requireNonNull;

/**
 * Hosts announcing themselves and beating, checked and handed to the {@link HostRegistrations}.
 * Which host calls is what its certificate says, never what the request says: a host cannot
 * register or beat as another.
 */
final class HostRegistryService extends HostRegistryGrpc.HostRegistryImplBase {

    private static final System.Logger LOG = System.getLogger("amber.hosts");

    private final HostRegistrations registrations;

    HostRegistryService(HostRegistrations registrations) {
        this.registrations = requireNonNull(registrations, "registrations");
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        Optional<UUID> caller = caller();
        if (caller.isEmpty()) {
            response.onError(Status.UNAUTHENTICATED.withDescription("only a host's certificate may register").asException());
            return;
        }
        String hostId = Ids.HOST.format(caller.get());
        try {
            if (!registrations.register(caller.get(), requireName(request.getName()), requireAddress(request.getAddress()),
                    ProtoConversions.facts(request.getFacts()),
                    request.getSandboxesList().stream().map(ProtoConversions::sandbox).toList())) {
                response.onError(Status.NOT_FOUND.withDescription("this cluster has no host " + hostId
                        + ": join it again with a new token").asException());
                return;
            }
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        } catch (RegistrationRefusedException e) {
            response.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asException());
            return;
        } catch (IOException e) {
            response.onError(Status.UNAVAILABLE.withDescription("could not record host " + hostId + ": "
                    + e.getMessage() + "; try again").asException());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "registering host " + hostId + " failed", e);
            response.onError(Status.INTERNAL.withDescription("registering failed unexpectedly; see the server's log")
                    .asException());
            return;
        }
        response.onNext(RegisterResponse.newBuilder().setHostId(hostId).build());
        response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        Optional<UUID> caller = caller();
        if (caller.isEmpty()) {
            response.onError(Status.UNAUTHENTICATED.withDescription("only a host's certificate may beat").asException());
            return;
        }
        boolean known;
        try {
            known = registrations.heartbeat(caller.get(), ProtoConversions.heartbeat(request, Instant.now()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "recording a heartbeat of " + Ids.HOST.format(caller.get()) + " failed", e);
            response.onError(Status.INTERNAL.withDescription("recording the heartbeat failed; see the server's log")
                    .asException());
            return;
        }
        response.onNext(HeartbeatResponse.newBuilder().setKnown(known).build());
        response.onCompleted();
    }

    /** The calling host, as its verified certificate names it; empty for any other caller. */
    private static Optional<UUID> caller() {
        return PeerIdentity.current().flatMap(PeerCheck::hostName).flatMap(Ids.HOST::parse);
    }
}
