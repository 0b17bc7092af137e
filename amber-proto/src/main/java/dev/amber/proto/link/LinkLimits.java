package dev.amber.proto.link;

import java.time.Duration;

/** Sizes and silences both ends of the link agree on. */
public final class LinkLimits {

    /** Largest chunk of a streamed upload or download. */
    public static final int CHUNK_BYTES = 1024 * 1024;
    /** Largest stdin an exec may carry: it travels in one message. */
    public static final int MAX_STDIN_BYTES = 8 * 1024 * 1024;
    /** Largest request a host accepts: an exec's stdin with room for its argv and environment. */
    public static final int MAX_REQUEST_BYTES = MAX_STDIN_BYTES + 1024 * 1024;
    /** Most output an exec keeps per stream; its reply carries both streams in one message. */
    public static final int MAX_EXEC_OUTPUT_BYTES = 64 * 1024 * 1024;
    /**
     * Longest a streamed transfer may stall either way. It matches the guest agent's own idle
     * limit: a stall longer than that has already failed inside the host.
     */
    public static final Duration STREAM_IDLE = Duration.ofSeconds(30);

    private LinkLimits() {}
}
