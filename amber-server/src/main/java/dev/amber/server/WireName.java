package dev.amber.server;

import java.util.Locale;

/**
 * An enum whose constants the API and the database spell in lower case ({@code SNAPSHOTTING} is
 * {@code "snapshotting"}): the one place that mapping is written.
 */
public interface WireName {

    String name();

    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant {@code wireName} spells, in any case (as rows and query parameters always were
     * read); {@link IllegalArgumentException} for any other text.
     */
    static <E extends Enum<E> & WireName> E fromWireName(Class<E> type, String wireName) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wireName)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " \"" + wireName + "\"");
    }
}
