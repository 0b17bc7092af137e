package dev.amber.host.grpc;

import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.GuestOperationException;
import dev.amber.host.durable.NoObjectStoreException;
import dev.amber.host.durable.StateChangedException;
import dev.amber.host.durable.StateNotStoredException;
import dev.amber.host.sandbox.SandboxNotFoundException;
import dev.amber.host.sandbox.SandboxNotRunningException;
import dev.amber.host.image.ImageMismatchException;
import dev.amber.host.image.ImageNotFoundException;
import dev.amber.host.image.OciImport;
import dev.amber.host.image.UnsafeDiskException;
import dev.amber.host.snapshot.SnapshotDamagedException;
import dev.amber.host.snapshot.SnapshotIncompatibleException;
import dev.amber.host.snapshot.SnapshotNotFoundException;
import dev.amber.proto.link.FailureReason;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.store.StoreDamagedException;
import io.grpc.Status;
import io.grpc.StatusException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * The one place where the host's failures become gRPC statuses (the table is in host_agent.proto).
 * FAILED_PRECONDITION means "not running", so the server can tell it from a file conflict, which
 * is ALREADY_EXISTS, by the code alone; or, with the reason {@link FailureReason#SNAPSHOT_INCOMPATIBLE}
 * in its trailers, a saved machine this host cannot restore.
 */
final class HostStatuses {

    private static final System.Logger LOG = System.getLogger("amber.grpc");

    private HostStatuses() {}

    static StatusException of(Exception failure) {
        return switch (failure) {
            case StatusException already -> already;
            case SandboxNotFoundException e -> status(Status.NOT_FOUND, e);
            case SandboxNotRunningException e -> status(Status.FAILED_PRECONDITION, e);
            case SnapshotNotFoundException e -> status(Status.NOT_FOUND, e);
            case SnapshotDamagedException e -> status(Status.DATA_LOSS, e);
            case SnapshotIncompatibleException e ->
                    FailureReason.SNAPSHOT_INCOMPATIBLE.status(described(Status.FAILED_PRECONDITION, e));
            case ImageNotFoundException e -> status(Status.NOT_FOUND, e);
            case ImageMismatchException e -> status(Status.DATA_LOSS, e);
            case UnsafeDiskException e -> status(Status.DATA_LOSS, e);
            case StoreDamagedException e -> status(Status.DATA_LOSS, e);
            case StateNotStoredException e -> status(Status.NOT_FOUND, e);
            case StateChangedException e -> status(Status.ABORTED, e);
            case NoObjectStoreException e -> status(Status.UNIMPLEMENTED, e);
            case FileAlreadyExistsException e -> status(Status.ALREADY_EXISTS, e);
            case GuestOperationException e -> status(guest(e.code()), e);
            case AgentClient.AgentTimeoutException e -> status(Status.DEADLINE_EXCEEDED, e);
            case IllegalArgumentException e -> status(Status.INVALID_ARGUMENT, e);
            case OciImport.ImageImportException e -> status(Status.INVALID_ARGUMENT, e);
            // MachineStartException, a broken guest channel, a failed disk: the host could not do it
            case IOException e -> status(Status.UNAVAILABLE, e);
            default -> {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure serving a call", failure);
                yield status(Status.INTERNAL, failure);
            }
        };
    }

    private static Status guest(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS, DIRECTORY_NOT_EMPTY -> Status.ALREADY_EXISTS;
            case INVALID_ARGUMENT, NOT_A_DIRECTORY, IS_A_DIRECTORY, PERMISSION_DENIED -> Status.INVALID_ARGUMENT;
            case NO_SPACE -> Status.RESOURCE_EXHAUSTED;
            case IO_ERROR, INTERNAL -> Status.UNAVAILABLE;
        };
    }

    private static StatusException status(Status status, Exception cause) {
        return described(status, cause).asException();
    }

    private static Status described(Status status, Exception cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return status.withDescription(message).withCause(cause);
    }
}
