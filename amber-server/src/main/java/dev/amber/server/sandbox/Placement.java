package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.Ids;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostState;
import dev.amber.server.host.HostView;
import dev.amber.server.sandbox.HostPool.Candidate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Chooses the host of a new sandbox, and admits work onto a host only within its capacity
 * ({@link Admission}). One whose source's files only one host has goes to that host; one pinned to a
 * host goes there (an admin may pin any host, a team only one of its own). Any other is placed:
 * <ol>
 *   <li>filter: the host is {@code ready}, takes the team's sandboxes (a team's host takes only that
 *       team's, a platform host everyone's), can restore the saved machine the sandbox starts from
 *       (its platform: {@link dev.amber.server.host.RestoreCompatibility}) and has room;</li>
 *   <li>sample: {@link #SAMPLE} hosts drawn at random among those that pass, plus (at most
 *       {@link #PREFERRED} of each) the hosts that hold the source and the team's own hosts, so a
 *       decision looks at a few dozen hosts however many there are;</li>
 *   <li>score ({@link HostScore}): free memory, CPU, locality, the team's own hosts; the best wins.</li>
 * </ol>
 * Only when no sampled host passes are all hosts walked, so that a sandbox is refused only when no
 * host at all can take it; the refusal says why each kind of host was passed over.
 */
public final class Placement {

    /** Hosts with room sampled at random: the best of 8 is close to the best of all (power of choices). */
    static final int SAMPLE = 8;

    /** Random hosts looked at, at most, to find {@link #SAMPLE} that pass, before walking all of them. */
    static final int PROBES = 4 * SAMPLE;

    /** Hosts holding the source, and hosts of the team's own, each added to the sample at most this many. */
    static final int PREFERRED = 8;

    private final Supplier<HostPool> pool;
    private final Admission admission;
    private final HostScore score;
    private final Random random;

    /**
     * {@code pool}: the hosts at the moment it is asked, with what is placed on them; {@code random}
     * draws the sample (shared by concurrent placements, hence a thread-safe {@link Random}).
     */
    public Placement(Supplier<HostPool> pool, Admission admission, Random random) {
        this.pool = requireNonNull(pool, "pool");
        this.admission = requireNonNull(admission, "admission");
        this.score = new HostScore(admission);
        this.random = requireNonNull(random, "random");
    }

    /**
     * Placement among the hosts {@code hosts} knows, with the sandboxes recorded on each (one query
     * for all hosts per decision).
     */
    public static Placement onConnectedHosts(HostDirectory hosts, SandboxRepository sandboxes, Admission admission) {
        requireNonNull(hosts, "hosts");
        requireNonNull(sandboxes, "sandboxes");
        return new Placement(() -> {
            Map<UUID, PlacedLoad> placed = sandboxes.placedByHost();
            return new HostPool(hosts.hosts(), host -> placed.getOrDefault(host, PlacedLoad.NONE));
        }, admission, new Random());
    }

    /**
     * The host for {@code request}'s sandbox; 404, 409 ({@code snapshot_incompatible} when no host can
     * restore what it starts from) or 503 {@code no_capacity} saying why there is none.
     */
    public UUID hostFor(PlacementRequest request) {
        requireNonNull(request, "request");
        HostPool hosts = pool.get();
        if (request.pinned().isPresent()) {
            return pinned(hosts, request, request.pinned().get());
        }
        if (request.holder().isPresent()) {
            UUID holder = request.holder().get();
            // a holder that is not connected is still the only host that can start it: the launch says so
            hosts.find(holder).ifPresent(host -> admitOnto(hosts.candidate(host), request));
            return holder;
        }
        if (hosts.size() == 0) {
            throw new ApiException(ErrorCode.NO_CAPACITY,
                    "no host is available to run sandboxes; start one (./amber up starts a local host)");
        }
        return best(sample(hosts, request), request)
                .or(() -> best(hosts.all().stream().map(hosts::candidate).filter(host -> passes(host, request)).toList(),
                        request))
                .orElseThrow(() -> Refusal.noRoom(hosts.all().stream().map(hosts::candidate).toList(), request, admission));
    }

    /**
     * Refuses with 503 {@code no_capacity} when {@code hostId} has no room for a VM of {@code size}
     * (a resume, or a fork's copy, bound to that host). A host that is not known, or did not report
     * its capacity, is left to the call that reaches it.
     */
    public void admit(UUID hostId, Resources size) {
        requireNonNull(size, "size");
        HostPool hosts = pool.get();
        hosts.find(hostId).map(hosts::candidate)
                .filter(host -> admission.reported(host) && !admission.fits(host, size))
                .ifPresent(host -> {
                    throw Refusal.full(List.of(host), size, admission);
                });
    }

    private UUID pinned(HostPool hosts, PlacementRequest request, UUID hostId) {
        HostView host = hosts.find(hostId)
                .filter(found -> request.admin() || request.teamId().equals(found.teamId()))
                .orElseThrow(() -> ApiException.notFound("unknown host " + Ids.HOST.format(hostId)));
        if (host.teamId() != null && !host.teamId().equals(request.teamId())) {
            throw ApiException.conflict("host " + Ids.HOST.format(hostId)
                    + " belongs to another team and runs only that team's sandboxes");
        }
        request.holder().filter(holder -> !holder.equals(hostId)).ifPresent(holder -> {
            throw ApiException.conflict("the sandbox's source is on host " + Ids.HOST.format(holder)
                    + " only, so it cannot start on host " + Ids.HOST.format(hostId) + "; pin that host or none");
        });
        admitOnto(hosts.candidate(host), request);
        return hostId;
    }

    /**
     * The one host a sandbox can go to must be ready, able to restore what it starts from and have
     * room: 503 or 409 saying which it is not.
     */
    private void admitOnto(Candidate host, PlacementRequest request) {
        if (host.host().state() != HostState.READY) {
            throw new ApiException(ErrorCode.NO_CAPACITY, "host " + Ids.HOST.format(host.host().id()) + " is "
                    + host.host().state().wireName() + " and takes no new sandboxes");
        }
        if (!request.restorableOn(host.host())) {
            throw Refusal.incompatible(List.of(host.host()), request);
        }
        if (!admission.fits(host, request.size())) {
            throw Refusal.full(List.of(host), request.size(), admission);
        }
    }

    private boolean passes(Candidate host, PlacementRequest request) {
        return host.host().state() == HostState.READY && Refusal.teamMayUse(host.host(), request.teamId())
                && request.restorableOn(host.host()) && admission.fits(host, request.size());
    }

    /**
     * The hosts a decision looks at: some of those holding the source and of the team's own, then
     * random ones until {@link #SAMPLE} of those pass or {@link #PROBES} were looked at; those that pass.
     */
    private List<Candidate> sample(HostPool hosts, PlacementRequest request) {
        Set<UUID> looked = new HashSet<>();
        List<Candidate> passing = new ArrayList<>();
        for (List<HostView> preferred : List.of(hosts.holders(request.locality()), hosts.ownedBy(request.teamId()))) {
            for (int index : someOf(preferred.size(), PREFERRED)) {
                look(hosts, preferred.get(index), request, looked, passing);
            }
        }
        int sampled = 0;
        for (int index : someOf(hosts.size(), PROBES)) {
            if (look(hosts, hosts.get(index), request, looked, passing) && ++sampled == SAMPLE) {
                break;
            }
        }
        return passing;
    }

    /** Looks at {@code host} once: true when it was new to this decision and passes. */
    private boolean look(HostPool hosts, HostView host, PlacementRequest request, Set<UUID> looked,
                         List<Candidate> passing) {
        if (!looked.add(host.id())) {
            return false;
        }
        Candidate candidate = hosts.candidate(host);
        boolean passes = passes(candidate, request);
        if (passes) {
            passing.add(candidate);
        }
        return passes;
    }

    /** Up to {@code count} distinct indexes below {@code size}, in random order (all of them when few). */
    private List<Integer> someOf(int size, int count) {
        List<Integer> indexes = new ArrayList<>();
        if (size <= count) {
            for (int index = 0; index < size; index++) {
                indexes.add(index);
            }
            Collections.shuffle(indexes, random);
            return indexes;
        }
        Set<Integer> drawn = new HashSet<>();
        while (indexes.size() < count) {
            int index = random.nextInt(size);
            if (drawn.add(index)) {
                indexes.add(index);
            }
        }
        return indexes;
    }

    private Optional<UUID> best(List<Candidate> passing, PlacementRequest request) {
        return passing.stream()
                .max(Comparator.comparingDouble(host -> score.of(host, request)))
                .map(host -> host.host().id());
    }
}
