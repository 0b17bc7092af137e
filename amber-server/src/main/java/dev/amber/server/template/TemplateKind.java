package dev.amber.server.template;

import java.util.Locale;

/** What a template's sandboxes start from: its final layer restored (snapshot), or its disk booted (image). */
public enum TemplateKind {
    SNAPSHOT,
    IMAGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a request or row names; {@link IllegalArgumentException} for any other text. */
    public static TemplateKind fromWireName(String name) {
        for (TemplateKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown template kind \"" + name + "\"");
    }
}
