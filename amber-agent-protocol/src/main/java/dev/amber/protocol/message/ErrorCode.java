package dev.amber.protocol.message;

/** Why a guest operation failed, in terms the host can map to a user-facing status. */
public enum ErrorCode {
    NOT_FOUND,
    ALREADY_EXISTS,
    NOT_A_DIRECTORY,
    IS_A_DIRECTORY,
    DIRECTORY_NOT_EMPTY,
    PERMISSION_DENIED,
    INVALID_ARGUMENT,
    NO_SPACE,
    IO_ERROR,
    INTERNAL;

    static ErrorCode fromOrdinal(int ordinal) {
        ErrorCode[] all = values();
        return ordinal >= 0 && ordinal < all.length ? all[ordinal] : INTERNAL;
    }
}
