package dev.amber.protocol.mux;

import java.io.IOException;

/** The stream was aborted, by the peer, by a protocol error, or because the channel closed. */
public final class StreamResetException extends IOException {
    public StreamResetException(String reason) {
        super(reason);
    }
}
