package dev.amber.server.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class UnknownSandboxesTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final UnknownSandboxes unknown = new UnknownSandboxes(Duration.ofSeconds(60));
    private final UUID host = UUID.randomUUID();

    @Test
    void aSandboxIsDueOnlyOnceItHasBeenUnknownForTheWholeGracePeriod() {
        assertThat(unknown.due(host, Set.of("sb-a"), START)).isEmpty();
        assertThat(unknown.due(host, Set.of("sb-a"), START.plusSeconds(59))).isEmpty();
        assertThat(unknown.due(host, Set.of("sb-a"), START.plusSeconds(60))).containsExactly("sb-a");
    }

    @Test
    void aSandboxKnownInBetweenStartsAgain() {
        unknown.due(host, Set.of("sb-a"), START);
        unknown.due(host, Set.of(), START.plusSeconds(5)); // its row was written: a create in flight
        assertThat(unknown.due(host, Set.of("sb-a"), START.plusSeconds(61))).isEmpty();
        assertThat(unknown.due(host, Set.of("sb-a"), START.plusSeconds(121))).containsExactly("sb-a");
    }

    @Test
    void hostsAreTrackedApart() {
        unknown.due(host, Set.of("sb-a"), START);
        assertThat(unknown.due(UUID.randomUUID(), Set.of("sb-a"), START.plusSeconds(60))).isEmpty();
    }
}
