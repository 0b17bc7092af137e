package dev.amber.api;

import java.util.LinkedHashSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The builder methods of a request that exclude each other (a sandbox's sources, an exec's
 * {@code cmd} and {@code shell}), remembered as they are called so that {@code build()} can refuse
 * a combination the server would refuse, naming the methods.
 */
public final class Alternatives {

    private final String what;
    private final Set<String> chosen = new LinkedHashSet<>();

    /** {@code what}: the choice, as an error message names it ("a sandbox's source"). */
    public Alternatives(String what) {
        this.what = requireNonNull(what, "what");
    }

    /** Builder method {@code method} was called; calling the same one again replaces its value. */
    public void choose(String method) {
        chosen.add(requireNonNull(method, "method"));
    }

    /** @throws IllegalStateException when two different methods were called */
    public void requireAtMostOne() {
        if (chosen.size() > 1) {
            throw new IllegalStateException(what + " is set by one method only; " + String.join(" and ", chosen)
                    + " were both called");
        }
    }

    /** @throws IllegalStateException when none or two different methods were called */
    public void requireOne(String... methods) {
        if (chosen.isEmpty()) {
            throw new IllegalStateException(what + " is missing: call one of " + String.join(", ", methods));
        }
        requireAtMostOne();
    }
}
