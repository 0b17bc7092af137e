package dev.amber.server.template;

import dev.amber.server.WireName;

/** Where a build stands: waiting in the queue, running on a worker, or ended one of three ways. */
public enum BuildStatus implements WireName {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean finished() {
        return switch (this) {
            case QUEUED, RUNNING -> false;
            case SUCCEEDED, FAILED, CANCELLED -> true;
        };
    }
}
