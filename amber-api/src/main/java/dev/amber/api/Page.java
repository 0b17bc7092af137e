package dev.amber.api;

import java.util.List;

/** One page of a list: {@code nextPage} is null on the last one. */
public record Page<T>(List<T> items, Integer nextPage) {
    public Page {
        items = List.copyOf(items);
    }

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
}
