package dev.amber.server.template;

import java.util.Locale;

/**
 * Where a template stands: {@code building} until its first build ends, then {@code ready}, or
 * {@code failed} when that build did not succeed (a later build's failure keeps it ready).
 */
public enum TemplateState {
    BUILDING,
    READY,
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TemplateState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
