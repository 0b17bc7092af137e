package dev.amber.sdk;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which sandboxes {@link Sandboxes#list(SandboxFilter)} returns: those in {@code state} (any when
 * empty) whose metadata holds every entry of {@code metadata}. Start from {@link #all()} and narrow
 * it down.
 */
public record SandboxFilter(Optional<String> state, Map<String, String> metadata) {

    private static final SandboxFilter ALL = new SandboxFilter(Optional.empty(), Map.of());

    public SandboxFilter {
        requireNonNull(state, "state");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata"));
    }

    public static SandboxFilter all() {
        return ALL;
    }

    /**
     * Only sandboxes in this state: {@code creating}, {@code running}, {@code paused}, {@code stopping},
     * {@code stopped}, {@code error}, or a transition such as {@code pausing}, {@code resuming},
     * {@code snapshotting}, {@code restoring}.
     */
    public SandboxFilter inState(String value) {
        return new SandboxFilter(Optional.of(requireNonNull(value, "state")), metadata);
    }

    /** Only sandboxes whose metadata has {@code key} set to {@code value}; filters add up. */
    public SandboxFilter withMetadata(String key, String value) {
        Map<String, String> more = new HashMap<>(metadata);
        more.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
        return new SandboxFilter(state, more);
    }

    Query toQuery() {
        Query query = Query.empty().with("state", state.orElse(null));
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            query = query.with("metadata." + entry.getKey(), entry.getValue());
        }
        return query;
    }
}
