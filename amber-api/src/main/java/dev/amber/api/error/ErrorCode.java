package dev.amber.api.error;

/** Machine-readable error codes of the public API, each with its one HTTP status. */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    /**
     * What was asked needs a snapshot or paused state from a host that is gone (unreachable or
     * removed), and it is not in the object store yet: it can start on no other host.
     */
    SNAPSHOT_NOT_DURABLE(409),
    /**
     * A snapshot (or a paused sandbox's saved state) was made on a platform its host cannot restore:
     * a machine type its QEMU does not offer, another CPU model or accelerator. The message names
     * each mismatch; nothing was started, and the snapshot stays as it was.
     */
    SNAPSHOT_INCOMPATIBLE(409),
    PAYLOAD_TOO_LARGE(413),
    /** A download's Range starts past the end of the file. */
    RANGE_NOT_SATISFIABLE(416),
    UNPROCESSABLE(422),
    /** A team's quota would be exceeded; the details say which, its limit, what is used and what was asked. */
    QUOTA_EXCEEDED(429),
    /** The API key sent more requests than its rate allows; the response's Retry-After says when to try again. */
    RATE_LIMITED(429),
    INTERNAL(500),
    /** A sandbox's own server, reached through the port proxy, is not there or answered nonsense. */
    BAD_GATEWAY(502),
    NO_CAPACITY(503),
    TIMEOUT(504);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code as it appears on the wire: {@code not_found}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ErrorCode fromWireName(String name) {
        for (ErrorCode code : values()) {
            if (code.wireName().equals(name)) {
                return code;
            }
        }
        return INTERNAL;
    }
}
