package dev.amber.host.durable;

import java.io.IOException;

/** This host was asked to store or fetch a state but keeps no object store. */
public class NoObjectStoreException extends IOException {

    public NoObjectStoreException() {
        super("this host keeps no object store: set AMBER_S3_BUCKET (and the other AMBER_S3_ settings) on it");
    }
}
