package dev.amber.store;

import java.io.IOException;

/** The object store could not be reached, or refused a request. */
public class StoreException extends IOException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
