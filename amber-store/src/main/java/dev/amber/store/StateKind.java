package dev.amber.store;

/** What a stored manifest describes; each kind has its own key space in the bucket. */
public enum StateKind {
    /** A named snapshot, checkpoint or template snapshot, by snapshot id. */
    SNAPSHOT("snapshots"),
    /** The saved machine of a paused sandbox, by sandbox id (each pause replaces the last). */
    PAUSED_SANDBOX("paused");

    private final String folder;

    StateKind(String folder) {
        this.folder = folder;
    }

    String folder() {
        return folder;
    }
}
