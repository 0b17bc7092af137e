package dev.amber.guest.exec;

import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;

/**
 * Sends {@link Tags#HEARTBEAT} on a process's stream every {@link #INTERVAL_MILLIS}: proof that the
 * agent is alive while the process prints nothing, so the host's deadline measures the guest's
 * silence, not the process's.
 */
public final class Heartbeat {

    public static final long INTERVAL_MILLIS = 2_000;
    private static final byte[] EMPTY = new byte[0];

    private Heartbeat() {}

    /** Beats until interrupted or the stream is gone. */
    static Thread start(Stream stream) {
        return Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Thread.sleep(INTERVAL_MILLIS);
                    stream.send(Tags.HEARTBEAT, EMPTY);
                }
            } catch (InterruptedException | IOException e) {
                // the process is done, or the host went away
            }
        });
    }
}
