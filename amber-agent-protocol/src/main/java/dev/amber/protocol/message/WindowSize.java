package dev.amber.protocol.message;

import java.io.IOException;

/** A terminal's size in character cells. */
public record WindowSize(int rows, int cols) {

    public WindowSize {
        if (rows < 1 || rows > 65535 || cols < 1 || cols > 65535) {
            throw new IllegalArgumentException("rows and cols must be 1-65535, got " + rows + "x" + cols);
        }
    }

    public byte[] encode() {
        return WireWriter.encode(this::write);
    }

    public static WindowSize decode(byte[] bytes) throws IOException {
        return read(new WireReader(bytes));
    }

    void write(WireWriter out) {
        out.writeInt(rows).writeInt(cols);
    }

    static WindowSize read(WireReader in) throws IOException {
        try {
            return new WindowSize(in.readInt(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }
}
