package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.sandbox.Placement.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private final UUID busy = UUID.randomUUID();
    private final UUID idle = UUID.randomUUID();
    private final UUID quiet = UUID.randomUUID();

    @Test
    void aSandboxAnyHostCanStartGoesToTheHostWithTheFewestActiveSandboxes() {
        Placement placement = new Placement(() -> List.of(
                new Candidate(busy, 7), new Candidate(idle, 0), new Candidate(quiet, 2)));

        assertThat(placement.hostFor(Optional.empty())).isEqualTo(idle);
    }

    @Test
    void hostsEquallyLoadedAreTakenInTheOrderTheyAreListed() {
        Placement placement = new Placement(() -> List.of(new Candidate(quiet, 1), new Candidate(idle, 1)));

        assertThat(placement.hostFor(Optional.empty())).isEqualTo(quiet);
    }

    @Test
    void aSandboxWhoseSourceIsOnOneHostGoesThereHoweverLoadedItIs() {
        AtomicInteger asked = new AtomicInteger();
        Placement placement = new Placement(() -> {
            asked.incrementAndGet();
            return List.of(new Candidate(busy, 7), new Candidate(idle, 0));
        });

        assertThat(placement.hostFor(Optional.of(busy))).isEqualTo(busy);
        assertThat(asked).as("hosts counted").hasValue(0);
    }

    @Test
    void aSourceOnAHostThatIsNotConnectedStillNamesThatHost() {
        Placement placement = new Placement(List::of);

        assertThat(placement.hostFor(Optional.of(busy))).isEqualTo(busy);
    }

    @Test
    void withoutAConnectedHostThereIsNoCapacity() {
        Placement placement = new Placement(List::of);

        assertThatThrownBy(() -> placement.hostFor(Optional.empty())).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("./amber up starts a local host");
        });
    }
}
