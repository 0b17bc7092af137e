package dev.amber.protocol.frame;

/** What a frame does. The numeric codes are part of the wire format and never change. */
public enum FrameType {
    /** Stream 0 only: protocol version and peer information, sent by each side once per connection. */
    HELLO(1),
    /** Opens a stream; the payload is the request that says what the stream is for. */
    OPEN(2),
    /** Bytes of a stream; the frame's tag says which sub-channel they belong to (stdout, stderr, ...). */
    DATA(3),
    /** The sender will send nothing more on this stream (half-close). */
    END(4),
    /** Aborts a stream in both directions; the payload is a UTF-8 reason. */
    RESET(5),
    /** Grants the peer permission to send this many more payload bytes on the stream. */
    CREDIT(6);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FrameType fromCode(int code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
