package dev.amber.host.durable;

import java.io.IOException;

/** The object store has no copy of a state this host was asked to fetch. */
public class StateNotStoredException extends IOException {

    public StateNotStoredException(String message) {
        super(message);
    }
}
