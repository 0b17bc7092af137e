package dev.amber.protocol.mux;

import static java.util.Objects.requireNonNull;

/** One chunk received on a stream, with the sub-channel tag it was sent on. */
public record Message(int tag, byte[] data) {
    public Message {
        requireNonNull(data, "data");
    }
}
