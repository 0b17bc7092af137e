package dev.amber.server.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The states a sandbox is shown in. Transitional states are written before the host is called and
 * belong to the operation in flight: the reconciler leaves them alone, other requests wait them out.
 */
public enum SandboxState {
    CREATING,
    RUNNING,
    PAUSING,
    PAUSED,
    RESUMING,
    SNAPSHOTTING,
    RESTORING,
    STOPPING,
    STOPPED,
    ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SandboxState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Every wire name, for messages that list the valid ones. */
    public static String wireNames() {
        return Arrays.stream(values()).map(SandboxState::wireName).collect(Collectors.joining(", "));
    }

    public boolean isTransitional() {
        return switch (this) {
            case CREATING, PAUSING, RESUMING, SNAPSHOTTING, RESTORING, STOPPING -> true;
            case RUNNING, PAUSED, STOPPED, ERROR -> false;
        };
    }
}
