package dev.amber.server.host;

import dev.amber.proto.host.v1.HostRegistryGrpc;
import dev.amber.proto.host.v1.RegisterRequest;
import dev.amber.proto.host.v1.RegisterResponse;
import dev.amber.proto.link.PeerCheck;
import dev.amber.proto.link.PeerIdentity;
import dev.amber.server.Ids;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import static dev.amber.server.host.HostRequestChecks.requireAddress;
import static dev.amber.server.host.HostRequestChecks.requireName;
import static java.util.Objects.requireNonNull;

/**
 * Hosts announcing themselves, checked and handed to the {@link HostRegistrations}. Which host calls
 * is what its certificate says, never what the request says: a host cannot register as another.
 */
final class HostRegistryService extends HostRegistryGrpc.HostRegistryImplBase {

    private static final System.Logger LOG = System.getLogger("amber.hosts");

    private final HostRegistrations registrations;

    HostRegistryService(HostRegistrations registrations) {
        this.registrations = requireNonNull(registrations, "registrations");
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        Optional<UUID> caller = PeerIdentity.current().flatMap(PeerCheck::hostName).flatMap(Ids.HOST::parse);
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
                        + " (it was removed): join it again with a new token").asException());
                return;
            }
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
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
}
