package dev.amber.proto.link;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;

import java.util.Arrays;
import java.util.Optional;

/**
 * A finer reason a host gives with a status whose code alone says too little, carried in the
 * trailer {@code amber-reason} (see host_agent.proto): the host sets it ({@link #status}), the
 * control plane reads it ({@link #of}). A status without one means what its code means.
 */
public enum FailureReason {
    /** FAILED_PRECONDITION: a snapshot or paused sandbox was made on a platform this host cannot restore. */
    SNAPSHOT_INCOMPATIBLE;

    private static final Metadata.Key<String> KEY = Metadata.Key.of("amber-reason", Metadata.ASCII_STRING_MARSHALLER);

    /** {@code status} with this reason in its trailers. */
    public StatusException status(Status status) {
        Metadata trailers = new Metadata();
        trailers.put(KEY, wireName());
        return status.asException(trailers);
    }

    /** The reason {@code failure} carries, if it carries one this side knows. */
    public static Optional<FailureReason> of(StatusException failure) {
        Metadata trailers = failure.getTrailers();
        String said = trailers == null ? null : trailers.get(KEY);
        return Arrays.stream(values()).filter(reason -> reason.wireName().equals(said)).findFirst();
    }

    private String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
