package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.server.Ids;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Moves sandboxes between states the way the state machine wants: the transitional state is
 * written (compare-and-set) before the host is called, and finished or reverted after. A request
 * that meets a sandbox in a transitional state waits for it to settle instead of failing, up to
 * {@link #SETTLE_TIMEOUT}. Every request that acts on a sandbox passes through here, which is why
 * this is where its activity (what holds off the inactivity auto-pause) is recorded.
 */
public final class SandboxTransitions {

    private static final System.Logger LOG = System.getLogger("amber.sandbox");
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Writes the transitional state if the sandbox is still as read; false when it changed meanwhile. */
    @FunctionalInterface
    public interface Move {
        boolean from(SandboxRecord current);
    }

    /** A step of an operation that may fail. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws HostException;
    }

    private final SandboxRepository sandboxes;
    private final MeterRegistry meters;

    /** {@code meters}: where each finished transition's duration is recorded, by its two states. */
    public SandboxTransitions(SandboxRepository sandboxes, MeterRegistry meters) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.meters = requireNonNull(meters, "meters");
    }

    /** The caller's sandbox as it is now; another team's is indistinguishable from a missing one. */
    public SandboxRecord require(Caller caller, String id) {
        return Ids.SANDBOX.parse(id).flatMap(uuid -> sandboxes.find(caller.teamId(), uuid))
                .orElseThrow(() -> ApiException.notFound("no sandbox " + id));
    }

    /** The caller's sandbox as it is now, after recording a call on it. */
    public SandboxRecord touch(Caller caller, String id) {
        Ids.SANDBOX.parse(id).ifPresent(uuid -> sandboxes.touch(caller.teamId(), uuid));
        return require(caller, id);
    }

    /**
     * The caller's sandbox once it is in no transitional state; 409 naming the state if it stays in
     * one. The call counts as activity, recorded before the state is read: an auto-pause that has
     * not begun by then sees the activity and does not begin.
     */
    public SandboxRecord settled(Caller caller, String id) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        SandboxRecord record = touch(caller, id);
        while (record.state().isTransitional()) {
            if (System.nanoTime() > deadline) {
                throw ApiException.conflict("sandbox " + id + " is still " + record.state().wireName() + " after "
                        + SETTLE_TIMEOUT.toSeconds() + " s; try again later");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.conflict("sandbox " + id + " is " + record.state().wireName() + "; try again");
            }
            record = require(caller, id);
        }
        return record;
    }

    /**
     * Puts the caller's sandbox into {@code to} once it has settled in one of {@code from}.
     * {@code requirement} completes the 409 otherwise: "sandbox sb-… is paused; {requirement}".
     */
    public Transition begin(Caller caller, String id, SandboxState to, Set<SandboxState> from, String requirement) {
        return begin(caller, id, to, from, requirement,
                current -> sandboxes.transition(current.id(), current.state(), to, null));
    }

    /** As {@link #begin(Caller, String, SandboxState, Set, String)}, with {@code move} writing the state. */
    public Transition begin(Caller caller, String id, SandboxState to, Set<SandboxState> from, String requirement,
                            Move move) {
        while (true) {
            SandboxRecord current = settled(caller, id);
            if (!from.contains(current.state())) {
                throw ApiException.conflict("sandbox " + id + " is " + current.state().wireName()
                        + (current.stateReason() == null ? "" : " (" + current.stateReason() + ")") + "; " + requirement);
            }
            if (move.from(current)) {
                return new Transition(current, to);
            }
            // another request moved it first: look again
        }
    }

    /** Moves the sandbox as it was read into {@code to}, without waiting; empty when it changed meanwhile. */
    Optional<Transition> beginFrom(SandboxRecord current, SandboxState to, Move move) {
        return move.from(current) ? Optional.of(new Transition(current, to)) : Optional.empty();
    }

    /** A sandbox just recorded in a transitional state (a create). */
    Transition started(SandboxRecord record) {
        return new Transition(record, record.state());
    }

    /** A sandbox in a transitional state, to be finished or reverted by whoever began it. */
    public final class Transition {

        private final SandboxRecord before;
        private final SandboxState state;
        private final long started = System.nanoTime();

        private Transition(SandboxRecord before, SandboxState state) {
            this.before = before;
            this.state = state;
        }

        /** The sandbox as it was before the transition. */
        public SandboxRecord before() {
            return before;
        }

        /** Runs a step of the operation; if it fails, reverts the transition and rethrows. */
        public <T> T attempt(Step<T> step) throws HostException {
            try {
                return step.run();
            } catch (HostException | RuntimeException e) {
                revert();
                throw e;
            }
        }

        /** Writes the state the operation ended in. */
        public void finish(SandboxState after, String reason) {
            String id = before.wireId();
            if (!sandboxes.transition(before.id(), state, after, reason)) {
                throw ApiException.conflict("sandbox " + id + " left state " + state.wireName() + " unexpectedly");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.log(System.Logger.Level.INFO, "sandbox {0} {1} -> {2} in {3} ms", id, state.wireName(), after.wireName(),
                    took.toMillis());
            Timer.builder("amber.sandbox.transitions").description("creates, pauses, resumes, snapshots, restores, deletes")
                    .tags("from", state.wireName(), "to", after.wireName()).publishPercentileHistogram()
                    .register(meters).record(took);
        }

        /** The host call failed: back to the state before, as if nothing happened. */
        public void revert() {
            sandboxes.transition(before.id(), state, before.state(), before.stateReason());
        }
    }
}
