package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.host.HostLoad;
import dev.amber.api.host.HostPlatform;
import dev.amber.server.host.BaseSize;
import dev.amber.server.host.HostPlatformFacts;
import dev.amber.server.host.HostState;
import dev.amber.server.host.HostView;
import dev.amber.server.host.SavedPlatform;
import dev.amber.server.sandbox.Admission.Overcommit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private static final Admission DEFAULT = new Admission(new Overcommit(1.0, 4));
    private static final Resources SMALL = new Resources(1, 512, 5120);
    private static final BaseSize SMALL_BASE = new BaseSize(1, 512);
    private static final long GIB = 1L << 30;

    /** A machine saved under TCG by a QEMU 7.2 host. */
    private static final SavedPlatform TCG_7_2 = new SavedPlatform("pc-q35-7.2", "max", "tcg");
    /** A QEMU 8.2 host under TCG: it runs machines as pc-q35-8.2 and still offers pc-q35-7.2. */
    private static final HostPlatformFacts TCG_8_2 = platform("8.2.2", "pc-q35-8.2", "max", "tcg");
    /** The same QEMU under KVM: another CPU model and accelerator. */
    private static final HostPlatformFacts KVM_8_2 = platform("8.2.2", "pc-q35-8.2", "host", "kvm");
    /** A QEMU 7.0 host: older than pc-q35-7.2. */
    private static final HostPlatformFacts TCG_7_0 = platform("7.0.0", "pc-q35-7.0", "max", "tcg");

    private final UUID team = UUID.randomUUID();
    private final UUID otherTeam = UUID.randomUUID();
    private final UUID busy = UUID.randomUUID();
    private final UUID idle = UUID.randomUUID();
    private final UUID quiet = UUID.randomUUID();

    /** The hosts placement sees, with what is placed on each. */
    private final List<HostView> hosts = new ArrayList<>();
    private final Map<UUID, PlacedLoad> placed = new HashMap<>();

    private Placement placement(Admission admission) {
        return new Placement(() -> new HostPool(hosts, id -> placed.getOrDefault(id, PlacedLoad.NONE)), admission,
                new Random(19));
    }

    private Placement placement() {
        return placement(DEFAULT);
    }

    /** A ready platform host of 4 cores and 8 GiB with {@code placedMemoryMb} (and 1 vCPU per 512 MiB) taken. */
    private HostView host(UUID id, long placedMemoryMb) {
        return host(id, HostState.READY, null, 4, 8 * GIB, placedMemoryMb, Set.of());
    }

    /** A ready platform host of 4 cores and 8 GiB with {@code placedMemoryMb} taken that restores machines on {@code platform}. */
    private HostView host(UUID id, long placedMemoryMb, HostPlatformFacts platform) {
        return host(id, HostState.READY, null, 4, 8 * GIB, placedMemoryMb, Set.of(), Optional.of(platform));
    }

    private HostView host(UUID id, HostState state, UUID owner, int cores, long memoryBytes, long placedMemoryMb,
                          Set<BaseSize> bases) {
        return host(id, state, owner, cores, memoryBytes, placedMemoryMb, bases, Optional.empty());
    }

    private HostView host(UUID id, HostState state, UUID owner, int cores, long memoryBytes, long placedMemoryMb,
                          Set<BaseSize> bases, Optional<HostPlatformFacts> platform) {
        HostView host = new HostView(id, state, owner,
                Optional.of(new HostLoad(cores, 0, memoryBytes, memoryBytes, 100 * GIB, 100 * GIB)), bases, platform);
        hosts.add(host);
        placed.put(id, new PlacedLoad((int) (placedMemoryMb / 512), placedMemoryMb));
        return host;
    }

    private PlacementRequest anywhere(Resources size) {
        return PlacementRequest.anywhere(team, size, new Locality.BaseSnapshot(new BaseSize(size.vcpus(), size.memoryMb())),
                Optional.empty());
    }

    /** A restore of a durable snapshot (any host may fetch it) saved on {@code platform}. */
    private PlacementRequest restoring(SavedPlatform platform) {
        return PlacementRequest.anywhere(team, SMALL, Locality.NOWHERE, Optional.of(platform));
    }

    private PlacementRequest boundTo(UUID holder) {
        return new PlacementRequest(team, false, SMALL, Optional.of(holder), new Locality.HeldBy(Set.of(holder)),
                Optional.empty(), Optional.empty());
    }

    private PlacementRequest pinnedTo(UUID hostId, boolean admin) {
        return new PlacementRequest(team, admin, SMALL, Optional.empty(), new Locality.BaseSnapshot(SMALL_BASE),
                Optional.of(hostId), Optional.empty());
    }

    /** A host's platform, offering the machine types QEMU {@code qemuVersion} has (from pc-q35-6.2 up to its own). */
    private static HostPlatformFacts platform(String qemuVersion, String machineType, String cpuModel, String accelerator) {
        Set<String> offered = new HashSet<>();
        for (String type : List.of("pc-q35-6.2", "pc-q35-7.0", "pc-q35-7.2", "pc-q35-8.0", "pc-q35-8.2")) {
            offered.add(type);
            if (type.equals(machineType)) {
                break;
            }
        }
        return new HostPlatformFacts(new HostPlatform(qemuVersion, machineType, cpuModel, accelerator, "linux-image-6.1"),
                offered);
    }

    private static ApiException refusal(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void aSandboxAnyHostCanStartGoesToTheHostWithTheMostFreeMemory() {
        host(busy, 7000);
        host(idle, 0);
        host(quiet, 2048);

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(idle);
    }

    @Test
    void unreachableDrainingAndRemovedHostsAreNeverChosenHoweverEmpty() {
        host(busy, 7000);
        for (HostState state : List.of(HostState.UNREACHABLE, HostState.DRAINING, HostState.REMOVED)) {
            host(UUID.randomUUID(), state, null, 64, 256 * GIB, 0, Set.of(SMALL_BASE));
        }

        for (int i = 0; i < 20; i++) {
            assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(busy);
        }
    }

    @Test
    void aTeamHostTakesOnlyItsTeamsSandboxesAndAPlatformHostAnyTeams() {
        UUID theirs = host(UUID.randomUUID(), HostState.READY, otherTeam, 64, 256 * GIB, 0, Set.of()).id();
        host(busy, 7000);

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(busy);
        assertThat(placement().hostFor(PlacementRequest.anywhere(otherTeam, SMALL, new Locality.BaseSnapshot(SMALL_BASE),
                Optional.empty())))
                .isEqualTo(theirs);
    }

    @Test
    void aTeamWithItsOwnHostsGetsThemBeforeEmptierPlatformHostsAndOverflowsOntoThoseWhenTheyAreFull() {
        host(idle, 0);
        UUID own = host(UUID.randomUUID(), HostState.READY, team, 4, 8 * GIB, 7000, Set.of()).id();

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(own);

        placed.put(own, new PlacedLoad(16, 8192));
        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(idle);
    }

    @Test
    void aHostHoldingTheBaseSnapshotOfTheSizeWinsOverASlightlyEmptierOne() {
        host(idle, 0);
        UUID holder = host(UUID.randomUUID(), HostState.READY, null, 4, 8 * GIB, 1024, Set.of(SMALL_BASE)).id();

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(holder);
    }

    @Test
    void aHostHoldingTheSnapshotWinsOverASlightlyEmptierOneButNotOverAFarEmptierOne() {
        host(idle, 0);
        host(quiet, 1024);
        PlacementRequest fromSnapshot = PlacementRequest.anywhere(team, SMALL, new Locality.HeldBy(Set.of(quiet)),
                Optional.empty());

        assertThat(placement().hostFor(fromSnapshot)).isEqualTo(quiet);

        placed.put(quiet, new PlacedLoad(8, 6144));
        assertThat(placement().hostFor(fromSnapshot)).isEqualTo(idle);
    }

    @Test
    void aHostWhoseMemoryIsPlacedIsPassedOverForOneWithRoom() {
        host(idle, 7800);
        host(busy, 7000);

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(busy);
    }

    @Test
    void memoryIsNotOvercommittedByDefaultButCanBe() {
        host(idle, HostState.READY, null, 4, GIB, 768, Set.of());

        assertThat(refusal(() -> placement().hostFor(anywhere(SMALL)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("1 vCPUs and 512 MiB", "has 768 of 1024 MiB", "memory overcommit 1.0");
        });
        assertThat(placement(new Admission(new Overcommit(1.5, 4))).hostFor(anywhere(SMALL))).isEqualTo(idle);
    }

    @Test
    void vcpusAreOvercommittedAsManyTimesACoreAsSet() {
        host(idle, HostState.READY, null, 2, 64 * GIB, 0, Set.of());
        placed.put(idle, new PlacedLoad(7, 3584));

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(idle);
        assertThat(refusal(() -> placement().hostFor(anywhere(new Resources(2, 512, 5120)))).getMessage())
                .contains("7 of 8 vCPUs placed");
    }

    @Test
    void aHostThatDidNotReportItsCapacityTakesNoNewSandboxes() {
        hosts.add(new HostView(idle, HostState.READY, null, Optional.empty(), Set.of(), Optional.empty()));

        assertThat(refusal(() -> placement().hostFor(anywhere(SMALL))).getMessage()).contains("did not report its capacity");
    }

    @Test
    void aRestorePassesOverEmptierHostsThatCannotRestoreItsSavedStateForOneThatCan() {
        host(idle, 0, KVM_8_2);
        host(quiet, 1024, TCG_7_0);
        host(busy, 7000, TCG_8_2);

        for (int i = 0; i < 20; i++) {
            assertThat(placement().hostFor(restoring(TCG_7_2))).isEqualTo(busy);
        }
        assertThat(placement().hostFor(anywhere(SMALL))).as("a sandbox that boots goes anywhere").isEqualTo(idle);
    }

    @Test
    void aHostThatDidNotReportItsPlatformIsKeptForRestoresSinceItRefusesWhatItCannotRestoreItself() {
        host(idle, 0, KVM_8_2);
        host(busy, 7000);

        assertThat(placement().hostFor(restoring(TCG_7_2))).isEqualTo(busy);
    }

    @Test
    void whenNoHostOfTheTeamsCanRestoreTheSavedStateTheRefusalIsSnapshotIncompatibleSayingWhatEachLacks() {
        host(idle, 0, KVM_8_2);
        host(quiet, 0, TCG_7_0);
        host(UUID.randomUUID(), HostState.READY, otherTeam, 4, 8 * GIB, 0, Set.of(), Optional.of(TCG_8_2));

        assertThat(refusal(() -> placement().hostFor(restoring(TCG_7_2)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SNAPSHOT_INCOMPATIBLE);
            assertThat(e.getMessage()).contains(
                    "saved on machine type pc-q35-7.2, CPU model max, accelerator tcg",
                    "host host-" + idle + " lacks CPU model max (it has host) and accelerator tcg (it uses kvm)",
                    "host host-" + quiet + " lacks machine type pc-q35-7.2, which its QEMU 7.0.0 does not offer");
        });
    }

    @Test
    void whenTheHostsThatCanRestoreItAreFullOrAwayTheRefusalIsNoCapacityCountingTheOthers() {
        host(idle, 0, KVM_8_2);
        host(busy, 8192, TCG_8_2);

        assertThat(refusal(() -> placement().hostFor(restoring(TCG_7_2)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("has 8192 of 8192 MiB", "passed over: 1 that cannot restore its saved state");
        });

        placed.put(busy, PlacedLoad.NONE);
        hosts.set(1, new HostView(busy, HostState.UNREACHABLE, null, hosts.get(1).load(), Set.of(), Optional.of(TCG_8_2)));
        assertThat(refusal(() -> placement().hostFor(restoring(TCG_7_2)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("1 unreachable", "1 that cannot restore its saved state");
        });
    }

    @Test
    void aPinnedHostThatCannotRestoreTheSavedStateIsRefusedWithSnapshotIncompatible() {
        host(idle, 0, KVM_8_2);
        host(busy, 0, TCG_8_2);
        PlacementRequest pinned = new PlacementRequest(team, true, SMALL, Optional.empty(), Locality.NOWHERE,
                Optional.of(idle), Optional.of(TCG_7_2));

        assertThat(refusal(() -> placement().hostFor(pinned))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SNAPSHOT_INCOMPATIBLE);
            assertThat(e.getMessage()).contains("host host-" + idle + " lacks CPU model max");
        });
    }

    @Test
    void aSandboxWhoseSourceIsOnOneHostGoesThereHoweverFullTheOthersAreEmpty() {
        host(busy, 7000);
        host(idle, 0);

        assertThat(placement().hostFor(boundTo(busy))).isEqualTo(busy);
    }

    @Test
    void aSourceOnAHostThatIsNotKnownStillNamesThatHost() {
        assertThat(placement().hostFor(boundTo(busy))).isEqualTo(busy);
    }

    @Test
    void aSourceBoundToAFullOrDrainingHostIsRefusedRatherThanPlacedElsewhere() {
        host(busy, 8192);
        host(idle, 0);
        host(quiet, HostState.DRAINING, null, 4, 8 * GIB, 0, Set.of());

        assertThat(refusal(() -> placement().hostFor(boundTo(busy))).code()).isEqualTo(ErrorCode.NO_CAPACITY);
        assertThat(refusal(() -> placement().hostFor(boundTo(quiet))).getMessage()).contains("is draining");
    }

    @Test
    void aResumeIsAdmittedOnlyWhereItsHostHasRoom() {
        host(busy, 8192);
        host(idle, 0);

        placement().admit(idle, SMALL);
        placement().admit(quiet, SMALL); // not known: the resume itself will say so
        assertThat(refusal(() -> placement().admit(busy, SMALL)).code()).isEqualTo(ErrorCode.NO_CAPACITY);
    }

    @Test
    void anAdminMayPinAnyPlatformHostHoweverFullerThanTheOthers() {
        host(busy, 7000);
        host(idle, 0);

        assertThat(placement().hostFor(pinnedTo(busy, true))).isEqualTo(busy);
    }

    @Test
    void aTeamMayPinOnlyItsOwnHostsAndAnyOtherIsAnUnknownHost() {
        UUID own = host(UUID.randomUUID(), HostState.READY, team, 4, 8 * GIB, 0, Set.of()).id();
        UUID theirs = host(UUID.randomUUID(), HostState.READY, otherTeam, 4, 8 * GIB, 0, Set.of()).id();
        host(idle, 0);

        assertThat(placement().hostFor(pinnedTo(own, false))).isEqualTo(own);
        for (UUID other : List.of(theirs, idle, UUID.randomUUID())) {
            assertThat(refusal(() -> placement().hostFor(pinnedTo(other, false)))).satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                assertThat(e.getMessage()).isEqualTo("unknown host host-" + other);
            });
        }
    }

    @Test
    void anAdminPinningAnotherTeamsHostIsRefusedBecauseTeamHostsRunOnlyTheirTeamsSandboxes() {
        UUID theirs = host(UUID.randomUUID(), HostState.READY, otherTeam, 4, 8 * GIB, 0, Set.of()).id();

        assertThat(refusal(() -> placement().hostFor(pinnedTo(theirs, true)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.getMessage()).contains("belongs to another team");
        });
    }

    @Test
    void aPinnedHostMustBeReadyAndHaveRoom() {
        host(busy, HostState.UNREACHABLE, null, 4, 8 * GIB, 0, Set.of());
        host(idle, 8000);

        assertThat(refusal(() -> placement().hostFor(pinnedTo(busy, true)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).isEqualTo("host host-" + busy + " is unreachable and takes no new sandboxes");
        });
        assertThat(refusal(() -> placement().hostFor(pinnedTo(idle, true)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("has 8000 of 8192 MiB");
        });
    }

    @Test
    void aSourceOnOneHostCannotBePinnedToAnother() {
        host(busy, 0);
        host(idle, 0);
        PlacementRequest request = new PlacementRequest(team, true, SMALL, Optional.of(busy),
                new Locality.HeldBy(Set.of(busy)), Optional.of(idle), Optional.empty());

        assertThat(refusal(() -> placement().hostFor(request)).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void aDecisionAmongAThousandHostsLooksAtAFewOfThem() {
        List<UUID> holders = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            HostView host = host(UUID.randomUUID(), HostState.READY, null, 16, 64 * GIB, (i * 37L) % 30_000, Set.of());
            if (i % 250 == 0) {
                holders.add(host.id());
            }
        }
        Set<UUID> lookedAt = new HashSet<>();
        Placement placement = new Placement(() -> new HostPool(hosts, id -> {
            lookedAt.add(id);
            return placed.get(id);
        }), DEFAULT, new Random(19));

        UUID chosen = placement.hostFor(PlacementRequest.anywhere(team, SMALL, new Locality.HeldBy(Set.copyOf(holders)),
                Optional.empty()));

        assertThat(lookedAt).hasSizeBetween(Placement.SAMPLE, Placement.SAMPLE + holders.size());
        assertThat(lookedAt).containsAll(holders).contains(chosen);
    }

    @Test
    void theOneHostWithRoomAmongAThousandFullOnesIsFound() {
        IntStream.range(0, 999).forEach(i -> host(UUID.randomUUID(), 8192));
        host(idle, 7000);

        assertThat(placement().hostFor(anywhere(SMALL))).isEqualTo(idle);
    }

    @Test
    void withoutAnyHostThereIsNoCapacityAndTheMessageSaysHowToStartOne() {
        assertThat(refusal(() -> placement().hostFor(anywhere(SMALL)))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_CAPACITY);
            assertThat(e.getMessage()).contains("./amber up starts a local host");
        });
    }

    @Test
    void withNoHostReadyTheMessageCountsEachState() {
        host(busy, HostState.UNREACHABLE, null, 4, 8 * GIB, 0, Set.of());
        host(idle, HostState.UNREACHABLE, null, 4, 8 * GIB, 0, Set.of());
        host(quiet, HostState.DRAINING, null, 4, 8 * GIB, 0, Set.of());
        host(UUID.randomUUID(), HostState.READY, otherTeam, 4, 8 * GIB, 0, Set.of());

        assertThat(refusal(() -> placement().hostFor(anywhere(SMALL))).getMessage()).isEqualTo(
                "no host can take a sandbox now: of 4 hosts, 2 unreachable, 1 draining, 1 of other teams;"
                        + " wait for a host to be ready, or add one");
    }

    @Test
    void aThousandFullHostsAreSummarisedInAShortMessage() {
        IntStream.range(0, 998).forEach(i -> host(UUID.randomUUID(), 8192));
        host(busy, HostState.DRAINING, null, 4, 8 * GIB, 0, Set.of());
        host(idle, HostState.UNREACHABLE, null, 4, 8 * GIB, 0, Set.of());

        assertThat(refusal(() -> placement().hostFor(anywhere(SMALL))).getMessage())
                .contains("has 8192 of 8192 MiB", "and 995 more hosts without room", "passed over: 1 draining, 1 unreachable")
                .hasSizeLessThan(600);
    }
}
