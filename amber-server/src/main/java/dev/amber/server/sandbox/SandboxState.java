package dev.amber.server.sandbox;

import java.util.Locale;

/** The states a sandbox is shown in. Transitional states are written before the host is called. */
public enum SandboxState {
    CREATING,
    RUNNING,
    STOPPING,
    STOPPED,
    ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SandboxState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public boolean isTransitional() {
        return this == CREATING || this == STOPPING;
    }
}
