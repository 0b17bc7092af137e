package dev.amber.sdk;

/** Told how far a file transfer has come, as bytes move; {@code totalBytes} is -1 when unknown. */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = (doneBytes, totalBytes) -> { };

    void update(long doneBytes, long totalBytes);
}
