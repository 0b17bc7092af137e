package dev.amber.host.durable;

import java.io.IOException;

/** The state being stored changed meanwhile (a paused sandbox was resumed); nothing was kept of it. */
public class StateChangedException extends IOException {

    public StateChangedException(String message) {
        super(message);
    }
}
