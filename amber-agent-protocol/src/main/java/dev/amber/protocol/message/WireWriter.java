package dev.amber.protocol.message;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Builds the compact binary encoding of protocol messages (big-endian, length-prefixed strings). */
public final class WireWriter {

    /** Fills a writer. */
    @FunctionalInterface
    public interface Body {
        void write(WireWriter out);
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public static byte[] encode(Body body) {
        WireWriter writer = new WireWriter();
        body.write(writer);
        return writer.bytes.toByteArray();
    }

    public WireWriter writeByte(int value) {
        return io(() -> out.writeByte(value));
    }

    public WireWriter writeBoolean(boolean value) {
        return io(() -> out.writeBoolean(value));
    }

    public WireWriter writeInt(int value) {
        return io(() -> out.writeInt(value));
    }

    public WireWriter writeLong(long value) {
        return io(() -> out.writeLong(value));
    }

    public WireWriter writeBytes(byte[] value) {
        return io(() -> {
            out.writeInt(value.length);
            out.write(value);
        });
    }

    public WireWriter writeString(String value) {
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A string that may be absent. */
    public WireWriter writeOptionalString(String value) {
        writeBoolean(value != null);
        return value == null ? this : writeString(value);
    }

    public WireWriter writeStringList(List<String> values) {
        writeInt(values.size());
        values.forEach(this::writeString);
        return this;
    }

    public WireWriter writeStringMap(Map<String, String> values) {
        writeInt(values.size());
        values.forEach((key, value) -> writeString(key).writeString(value));
        return this;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private WireWriter io(IoAction action) {
        try {
            action.run();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory write failed", e);
        }
    }
}
