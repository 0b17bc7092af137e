package dev.amber.protocol.message;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@link WireWriter} wrote. Every length is checked against what is left in the
 * message, so a hostile or corrupt message fails with {@link ProtocolException} and never makes
 * the reader allocate more than the message holds.
 */
public final class WireReader {

    private final DataInputStream in;
    private final int size;

    public WireReader(byte[] bytes) {
        this.in = new DataInputStream(new ByteArrayInputStream(bytes));
        this.size = bytes.length;
    }

    public int readByte() throws IOException {
        return wrap(in::readUnsignedByte);
    }

    public boolean readBoolean() throws IOException {
        return wrap(in::readBoolean);
    }

    public int readInt() throws IOException {
        return wrap(in::readInt);
    }

    public long readLong() throws IOException {
        return wrap(in::readLong);
    }

    public byte[] readBytes() throws IOException {
        int length = readCount();
        byte[] value = new byte[length];
        wrap(() -> {
            in.readFully(value);
            return null;
        });
        return value;
    }

    public String readString() throws IOException {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    public String readOptionalString() throws IOException {
        return readBoolean() ? readString() : null;
    }

    public List<String> readStringList() throws IOException {
        int count = readCount();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString());
        }
        return values;
    }

    public Map<String, String> readStringMap() throws IOException {
        int count = readCount();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(readString(), readString());
        }
        return values;
    }

    /** A count of items or bytes; each takes at least one byte, so it can never exceed what is left. */
    private int readCount() throws IOException {
        int count = readInt();
        if (count < 0 || count > in.available()) {
            throw new ProtocolException("length " + count + " exceeds the " + size + "-byte message");
        }
        return count;
    }

    private interface Read<T> {
        T get() throws IOException;
    }

    private static <T> T wrap(Read<T> read) throws IOException {
        try {
            return read.get();
        } catch (EOFException e) {
            throw new ProtocolException("message ends too early");
        }
    }
}
