package dev.amber.server.sandbox;

import dev.amber.server.Ids;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls this server is making into each sandbox right now. A call is activity for as long as
 * it lasts, not only when it starts: an exec that runs longer than the sandbox's timeout must not
 * see its sandbox paused under it. The inactivity reaper records activity for these sandboxes on
 * every round, in the database, so that every server's reaper sees it.
 */
public final class CallsInFlight {

    /** One call in flight; closing it ends it. */
    public interface Call extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    /** Marks a call into sandbox {@code id} (wire form) as begun, until the returned call is closed. */
    public Call begin(String id) {
        counts.merge(id, 1, Integer::sum);
        return () -> counts.computeIfPresent(id, (sandbox, count) -> count == 1 ? null : count - 1);
    }

    /** The sandboxes with at least one call in flight. */
    List<UUID> sandboxes() {
        return counts.keySet().stream().map(Ids.SANDBOX::parse).flatMap(Optional::stream).toList();
    }
}
