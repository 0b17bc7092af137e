package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.sdk.error.AmberException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Walks a paginated list to its end. */
final class Pages {

    private Pages() {}

    /** Every item, fetching page 0, then each {@code nextPage} until it is null. */
    static <T> List<T> all(IntFunction<Page<T>> fetch) {
        List<T> items = new ArrayList<>();
        int page = 0;
        while (true) {
            Page<T> current = fetch.apply(page);
            items.addAll(current.items());
            Integer next = current.nextPage();
            if (next == null) {
                return List.copyOf(items);
            }
            // A server that does not move forward would otherwise keep this loop going forever.
            if (next <= page) {
                throw new AmberException("invalid_response", 0, "page " + page + " points back to page " + next,
                        Map.of());
            }
            page = next;
        }
    }
}
