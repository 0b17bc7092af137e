package dev.amber.protocol.message;

import java.io.IOException;

/**
 * How a process ended. {@code exitCode} follows the shell convention (128 + signal when killed);
 * {@code signal} is non-zero only when the agent itself killed it, which it does on timeout.
 */
public record ExecExit(int exitCode, int signal, boolean timedOut, long durationMillis) {

    public byte[] encode() {
        return WireWriter.encode(out -> out.writeInt(exitCode).writeInt(signal).writeBoolean(timedOut)
                .writeLong(durationMillis));
    }

    public static ExecExit decode(byte[] bytes) throws IOException {
        WireReader in = new WireReader(bytes);
        return new ExecExit(in.readInt(), in.readInt(), in.readBoolean(), in.readLong());
    }
}
