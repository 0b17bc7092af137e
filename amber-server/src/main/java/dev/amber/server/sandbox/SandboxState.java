package dev.amber.server.sandbox;

import dev.amber.server.WireName;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The states a sandbox is shown in. Transitional states are written before the host is called and
 * belong to the operation in flight: the reconciler leaves them alone, other requests wait them out.
 */
public enum SandboxState implements WireName {
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

    public static SandboxState fromWireName(String name) {
        return WireName.fromWireName(SandboxState.class, name);
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
