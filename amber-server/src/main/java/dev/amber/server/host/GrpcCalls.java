package dev.amber.server.host;

import dev.amber.proto.host.v1.HostAgentGrpc;
import dev.amber.proto.link.FailureReason;
import dev.amber.proto.link.PeerRefusedException;
import io.grpc.Status;
import io.grpc.StatusException;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The one stub to a host's agent, shared by the concerns of a {@link GrpcHostClient}, and how its
 * statuses become {@link HostException} kinds ({@link #failure}): the host uses FAILED_PRECONDITION
 * only for "sandbox not running" and ALREADY_EXISTS for every file conflict, so the code alone tells
 * the two apart (see host_agent.proto), unless the trailers carry {@link FailureReason#SNAPSHOT_INCOMPATIBLE}.
 * A refused certificate, by either end, is UNAVAILABLE saying whose; a damaged snapshot (DATA_LOSS) is
 * SNAPSHOT_DAMAGED. Messages name no host address: they reach API users, and the callers that log them
 * know which host they called.
 */
final class GrpcCalls {

    /** A call that answers at once. Every call has a deadline. */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(30);
    /** Pause, resume, snapshot, restore: they write or read a whole machine's memory. */
    static final Duration STATE_DEADLINE = Duration.ofMinutes(5);
    /** Copying a state to the object store, or fetching it (a resume elsewhere): hundreds of MiB over the network. */
    static final Duration STORE_DEADLINE = Duration.ofMinutes(30);
    /** The longest a connection into a sandbox (a WebSocket, an attached process) may stay open. */
    static final Duration CONNECTION_DEADLINE = Duration.ofHours(24);

    private final HostAgentGrpc.HostAgentBlockingV2Stub host;

    GrpcCalls(HostAgentGrpc.HostAgentBlockingV2Stub host) {
        this.host = requireNonNull(host, "host");
    }

    /** The stub, to set a deadline on and call. */
    HostAgentGrpc.HostAgentBlockingV2Stub host() {
        return host;
    }

    @FunctionalInterface
    interface Rpc<T> {
        T run() throws StatusException;
    }

    <T> T call(Rpc<T> rpc) throws HostException {
        try {
            return rpc.run();
        } catch (StatusException e) {
            throw failure(e);
        }
    }

    HostException failure(StatusException e) {
        Status status = e.getStatus();
        String said = status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            return new HostException(HostException.Kind.UNAVAILABLE, "the host refused this server's certificate (" + said
                    + "); the host belongs to another cluster or must join this one again", e);
        }
        Optional<PeerRefusedException> refused = refusal(e);
        if (refused.isPresent()) {
            return new HostException(HostException.Kind.UNAVAILABLE, "the host's certificate is not accepted: "
                    + refused.get().getMessage(), e);
        }
        if (status.getCode() == Status.Code.DATA_LOSS) {
            return new HostException(HostException.Kind.SNAPSHOT_DAMAGED, "the snapshot is damaged and cannot be used ("
                    + said + "); nothing was started from it", e);
        }
        if (FailureReason.of(e).orElse(null) == FailureReason.SNAPSHOT_INCOMPATIBLE) {
            return new HostException(HostException.Kind.SNAPSHOT_INCOMPATIBLE, said + "; nothing was started from it", e);
        }
        HostException.Kind kind = switch (status.getCode()) {
            case NOT_FOUND -> HostException.Kind.NOT_FOUND;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HostException.Kind.INVALID;
            case ALREADY_EXISTS -> HostException.Kind.CONFLICT;
            case FAILED_PRECONDITION -> HostException.Kind.NOT_RUNNING;
            case RESOURCE_EXHAUSTED -> HostException.Kind.NO_SPACE;
            case DEADLINE_EXCEEDED -> HostException.Kind.TIMEOUT;
            default -> HostException.Kind.UNAVAILABLE;
        };
        return new HostException(kind, said, e);
    }

    /** The reason this end refused the peer's certificate in the TLS handshake, if that is why the call failed. */
    private static Optional<PeerRefusedException> refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PeerRefusedException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    /** The proto's "none" for an absent duration. */
    static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }
}
