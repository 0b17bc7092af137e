package dev.amber.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unmodifiable copies for request builders, null kept as null (an absent field) and order kept:
 * the JSON a built request sends lists entries in the order they were given.
 */
public final class Copies {

    private Copies() {}

    public static <K, V> Map<K, V> of(Map<K, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public static <T> List<T> of(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
