package dev.amber.cli.up;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a role has started so far, closed newest first: a start that fails half-way closes what it
 * had opened, and a stop closes everything even when one part fails to close.
 */
final class Resources implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.up");

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable next = opened.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "while stopping " + next.getClass().getSimpleName() + ": "
                        + e.getMessage());
            }
        }
    }
}
