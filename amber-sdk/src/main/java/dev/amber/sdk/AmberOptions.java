package dev.amber.sdk;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How long the client waits. Every request has a deadline; they differ because the calls do:
 *
 * @param connectTimeout  to open a connection to the server
 * @param requestTimeout  for an ordinary call to answer
 * @param createTimeout   for calls that return only once a machine is saved or started: creating,
 *                        pausing, resuming, restoring and forking sandboxes, taking checkpoints and
 *                        snapshots
 * @param transferTimeout for an upload to be accepted or a download to start; an upload is only
 *                        answered once its last byte is written, so this bounds the whole upload
 * @param execTimeout     the process timeout sent with an exec request that names none, so the
 *                        server stops a runaway process instead of the client abandoning it
 * @param execMargin      added to an exec's process timeout for the HTTP round trip
 */
public record AmberOptions(Duration connectTimeout, Duration requestTimeout, Duration createTimeout,
                           Duration transferTimeout, Duration execTimeout, Duration execMargin) {

    public AmberOptions {
        positive("connectTimeout", connectTimeout);
        positive("requestTimeout", requestTimeout);
        positive("createTimeout", createTimeout);
        positive("transferTimeout", transferTimeout);
        positive("execTimeout", execTimeout);
        positive("execMargin", execMargin);
    }

    public static AmberOptions defaults() {
        return new AmberOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofSeconds(30));
    }

    public AmberOptions withConnectTimeout(Duration value) {
        return new AmberOptions(value, requestTimeout, createTimeout, transferTimeout, execTimeout, execMargin);
    }

    public AmberOptions withRequestTimeout(Duration value) {
        return new AmberOptions(connectTimeout, value, createTimeout, transferTimeout, execTimeout, execMargin);
    }

    public AmberOptions withCreateTimeout(Duration value) {
        return new AmberOptions(connectTimeout, requestTimeout, value, transferTimeout, execTimeout, execMargin);
    }

    public AmberOptions withTransferTimeout(Duration value) {
        return new AmberOptions(connectTimeout, requestTimeout, createTimeout, value, execTimeout, execMargin);
    }

    public AmberOptions withExecTimeout(Duration value) {
        return new AmberOptions(connectTimeout, requestTimeout, createTimeout, transferTimeout, value, execMargin);
    }

    public AmberOptions withExecMargin(Duration value) {
        return new AmberOptions(connectTimeout, requestTimeout, createTimeout, transferTimeout, execTimeout, value);
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
