package dev.amber.protocol.message;

import java.io.IOException;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A reply of named values, e.g. the agent's health: version, uptime, start time. */
public record Facts(Map<String, String> values) {

    public Facts {
        values = Map.copyOf(requireNonNull(values, "values"));
    }

    public byte[] encode() {
        return WireWriter.encode(out -> out.writeStringMap(values));
    }

    public static Facts decode(byte[] bytes) throws IOException {
        return new Facts(new WireReader(bytes).readStringMap());
    }
}
