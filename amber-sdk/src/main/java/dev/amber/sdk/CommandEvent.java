package dev.amber.sdk;

import dev.amber.api.sandbox.StreamFrame;

import java.nio.charset.StandardCharsets;

/** What a running command sends: its output as it is produced, a cut in replayed output, and its exit. */
public sealed interface CommandEvent {

    /** Bytes the process wrote to stdout (on a terminal: everything the terminal shows). */
    record Stdout(byte[] data) implements CommandEvent {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    record Stderr(byte[] data) implements CommandEvent {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** The sandbox no longer had older output of {@code stream}: {@code totalBytes} of it so far. */
    record Dropped(String stream, long totalBytes) implements CommandEvent {}

    /** How the process ended: {@code signal} is set when a signal Amber sent ended it. */
    record Exit(int exitCode, Integer signal, boolean timedOut, long durationMs) implements CommandEvent {
        static Exit of(StreamFrame frame) {
            return new Exit(frame.exitCode(), frame.signal(), Boolean.TRUE.equals(frame.timedOut()),
                    frame.durationMs() == null ? 0 : frame.durationMs());
        }
    }
}
