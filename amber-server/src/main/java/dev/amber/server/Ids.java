package dev.amber.server;

import java.util.Optional;
import java.util.UUID;

/**
 * UUIDs in the database, prefixed strings on the wire: {@code sb-…}, {@code team-…}, {@code key-…},
 * {@code host-…}, {@code tpl-…}, {@code snap-…}, {@code bld-…}, {@code img-…}.
 */
public enum Ids {
    SANDBOX("sb-"),
    TEAM("team-"),
    KEY("key-"),
    HOST("host-"),
    TEMPLATE("tpl-"),
    SNAPSHOT("snap-"),
    BUILD("bld-"),
    IMAGE("img-");

    /** The platform team: owns platform templates and the admins. */
    public static final UUID PLATFORM_TEAM = new UUID(0, 0);

    private final String prefix;

    Ids(String prefix) {
        this.prefix = prefix;
    }

    /** What every wire id of this kind starts with. */
    public String prefix() {
        return prefix;
    }

    public String format(UUID id) {
        return id == null ? null : prefix + id;
    }

    /** The UUID behind a wire id, or empty when it is not one of ours (callers answer 404). */
    public Optional<UUID> parse(String wireId) {
        if (wireId == null || !wireId.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            String raw = wireId.substring(prefix.length());
            UUID id = UUID.fromString(raw);
            return id.toString().equals(raw) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
