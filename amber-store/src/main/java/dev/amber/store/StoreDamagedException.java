package dev.amber.store;

/**
 * A saved state in the store cannot be restored as its manifest describes it: a chunk is missing
 * or its bytes do not hash to its name, or the manifest itself is unreadable. Nothing is restored
 * from it.
 */
public class StoreDamagedException extends StoreException {

    public StoreDamagedException(String message) {
        super(message);
    }
}
