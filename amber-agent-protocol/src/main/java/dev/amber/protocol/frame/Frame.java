package dev.amber.protocol.frame;

import static java.util.Objects.requireNonNull;

/**
 * One unit on the wire. Layout (big-endian):
 * <pre>
 * magic u32 | type u8 | tag u8 | reserved u16 | stream u32 | length u32 | header crc32 u32 | payload | payload crc32 u32
 * </pre>
 * The magic and the two checksums let a reader skip garbage and find the next real frame.
 */
public record Frame(FrameType type, int tag, int streamId, byte[] payload) {

    public static final int MAGIC = 0xA3B3_E201;
    public static final int HEADER_BYTES = 20;
    public static final int TRAILER_BYTES = 4;
    /** Largest payload a frame may carry; larger ones are refused by the reader. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    public Frame {
        requireNonNull(type, "type");
        requireNonNull(payload, "payload");
        if (tag < 0 || tag > 0xFF) {
            throw new IllegalArgumentException("tag out of range: " + tag);
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
    }

    public static Frame of(FrameType type, int streamId) {
        return new Frame(type, 0, streamId, new byte[0]);
    }

    @Override
    public String toString() {
        return "Frame[" + type + " stream=" + streamId + " tag=" + tag + " bytes=" + payload.length + "]";
    }
}
