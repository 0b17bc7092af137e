package dev.amber.protocol.message;

import java.io.IOException;

/** A reply that is one number: bytes written, entries removed. */
public record Count(long value) {

    public byte[] encode() {
        return WireWriter.encode(out -> out.writeLong(value));
    }

    public static Count decode(byte[] bytes) throws IOException {
        return new Count(new WireReader(bytes).readLong());
    }
}
