package dev.amber.protocol.mux;

import dev.amber.protocol.message.WireReader;
import dev.amber.protocol.message.WireWriter;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** What each side says first on a connection: its protocol version and free-form facts about itself. */
public record Hello(int protocolVersion, Map<String, String> info) {

    /** Bumped on any incompatible change of frames or messages. */
    public static final int PROTOCOL_VERSION = 1;

    public Hello {
        info = Map.copyOf(requireNonNull(info, "info"));
    }

    public static Hello of(Map<String, String> info) {
        return new Hello(PROTOCOL_VERSION, info);
    }

    byte[] encode() {
        return WireWriter.encode(out -> out.writeInt(protocolVersion).writeStringMap(info));
    }

    static Hello decode(byte[] bytes) throws java.io.IOException {
        WireReader in = new WireReader(bytes);
        return new Hello(in.readInt(), in.readStringMap());
    }
}
