package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.sandbox.Placement.Candidate;
import dev.amber.server.sandbox.Placement.Overcommit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private static final Overcommit DEFAULT = new Overcommit(1.0, 4);
    private static final Resources SMALL = new Resources(1, 512, 5120);

    private final UUID busy = UUID.randomUUID();
    private final UUID idle = UUID.randomUUID();
    private final UUID quiet = UUID.randomUUID();

    /** A host of 4 cores and 8 GiB with {@code active} sandboxes that take nothing of it. */
    private static Candidate roomy(UUID host, int active) {
        return new Candidate(host, active, 4, 8192, 0, 0);
    }

    @Test
    void aSandboxAnyHostCanStartGoesToTheHostWithTheFewestActiveSandboxes() {
        Placement placement = new Placement(() -> List.of(roomy(busy, 7), roomy(idle, 0), roomy(quiet, 2)), DEFAULT);

        assertThat(placement.hostFor(Optional.empty(), SMALL)).isEqualTo(idle);
    }

    @Test
    void hostsEquallyLoadedAreTakenInTheOrderTheyAreListed() {
        Placement placement = new Placement(() -> List.of(roomy(quiet, 1), roomy(idle, 1)), DEFAULT);

        assertThat(placement.hostFor(Optional.empty(), SMALL)).isEqualTo(quiet);
    }

    @Test
    void aSandboxWhoseSourceIsOnOneHostGoesThereHoweverManySandboxesItHas() {
        Placement placement = new Placement(() -> List.of(roomy(busy, 7), roomy(idle, 0)), DEFAULT);

        assertThat(placement.hostFor(Optional.of(busy), SMALL)).isEqualTo(busy);
    }

    @Test
    void aSourceOnAHostThatIsNotConnectedStillNamesThatHost() {
        Placement placement = new Placement(List::of, DEFAULT);

        assertThat(placement.hostFor(Optional.of(busy), SMALL)).isEqualTo(busy);
    }

    @Test
    void withoutAConnectedHostThereIsNoCapacity() {
        Placement placement = new Placement(List::of, DEFAULT);

        assertThatThrownBy(() -> placement.hostFor(Optional.empty(), SMALL)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("./amber up starts a local host");
        });
    }

    @Test
    void aHostWhoseMemoryIsPlacedIsPassedOverForOneWithRoomHoweverFewSandboxesItHas() {
        Placement placement = new Placement(() -> List.of(
                new Candidate(idle, 1, 4, 8192, 1, 7800), roomy(busy, 9)), DEFAULT);

        assertThat(placement.hostFor(Optional.empty(), SMALL)).isEqualTo(busy);
    }

    @Test
    void memoryIsNotOvercommittedByDefaultButCanBe() {
        List<Candidate> hosts = List.of(new Candidate(idle, 1, 4, 1024, 1, 768));

        assertThatThrownBy(() -> new Placement(() -> hosts, DEFAULT).hostFor(Optional.empty(), SMALL))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
                    assertThat(e.getMessage()).contains("1 vCPUs and 512 MiB", "has 768 of 1024 MiB", "memory overcommit 1.0");
                });
        assertThat(new Placement(() -> hosts, new Overcommit(1.5, 4)).hostFor(Optional.empty(), SMALL)).isEqualTo(idle);
    }

    @Test
    void vcpusAreOvercommittedFourToACoreByDefault() {
        Placement placement = new Placement(() -> List.of(new Candidate(idle, 7, 2, 65536, 7, 3584)), DEFAULT);

        assertThat(placement.hostFor(Optional.empty(), SMALL)).isEqualTo(idle);
        assertThatThrownBy(() -> placement.hostFor(Optional.empty(), new Resources(2, 512, 5120)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("7 of 8 vCPUs placed"));
    }

    @Test
    void aSourceBoundToAFullHostIsRefusedRatherThanPlacedElsewhere() {
        Placement placement = new Placement(() -> List.of(
                new Candidate(busy, 2, 4, 1024, 2, 1024), roomy(idle, 0)), DEFAULT);

        assertThatThrownBy(() -> placement.hostFor(Optional.of(busy), SMALL))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY));
    }

    @Test
    void aResumeIsAdmittedOnlyWhereItsHostHasRoom() {
        Placement placement = new Placement(() -> List.of(
                new Candidate(busy, 2, 4, 1024, 2, 1024), roomy(idle, 0)), DEFAULT);

        placement.admit(idle, SMALL);
        placement.admit(quiet, SMALL); // not connected: the resume itself will say so
        assertThatThrownBy(() -> placement.admit(busy, SMALL))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY));
    }

    @Test
    void aHostThatDidNotReportItsCapacityTakesNoNewSandboxes() {
        Placement placement = new Placement(() -> List.of(new Candidate(idle, 0, 0, 0, 0, 0)), DEFAULT);

        assertThatThrownBy(() -> placement.hostFor(Optional.empty(), SMALL))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("did not report its capacity"));
    }
}
