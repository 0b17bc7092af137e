package dev.amber.protocol.message;

import java.io.IOException;

/**
 * Output of one stream ({@link Tags#STDOUT} or {@link Tags#STDERR}) that the agent no longer retains:
 * a reader attached after it was produced misses it. {@code totalBytes} counts all such bytes so far.
 */
public record OutputDropped(int tag, long totalBytes) {

    public byte[] encode() {
        return WireWriter.encode(out -> out.writeInt(tag).writeLong(totalBytes));
    }

    public static OutputDropped decode(byte[] bytes) throws IOException {
        WireReader in = new WireReader(bytes);
        return new OutputDropped(in.readInt(), in.readLong());
    }
}
