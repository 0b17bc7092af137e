package dev.amber.protocol.message;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** A failure reported by the guest agent, sent on {@link Tags#ERROR}. */
public record AgentError(ErrorCode code, String message) {

    public AgentError {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
    }

    public byte[] encode() {
        return WireWriter.encode(out -> out.writeInt(code.ordinal()).writeString(message));
    }

    public static AgentError decode(byte[] bytes) throws IOException {
        WireReader in = new WireReader(bytes);
        return new AgentError(ErrorCode.fromOrdinal(in.readInt()), in.readString());
    }
}
