package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.server.Ids;
import dev.amber.server.host.HostState;
import dev.amber.server.host.HostView;
import dev.amber.server.sandbox.HostPool.Candidate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Why no host took a sandbox, summarised (counts of each kind of host passed over, and the room of a
 * few full ones, or what a few lack to restore it) so that the message stays readable with a
 * thousand hosts.
 */
final class Refusal {

    /** Full hosts whose room a refusal spells out; the rest are counted. */
    static final int EXAMPLES = 3;

    private Refusal() {}

    /** A team's own host takes only its team's sandboxes; a platform host (no team) everyone's. */
    static boolean teamMayUse(HostView host, UUID teamId) {
        return host.teamId() == null || host.teamId().equals(teamId);
    }

    /**
     * None of {@code hosts} can take {@code request}'s sandbox, and why: 409 {@code snapshot_incompatible}
     * when no host the team may use, in any state, can restore the saved machine it starts from
     * (waiting would not help); otherwise 503 {@code no_capacity}.
     */
    static ApiException noRoom(List<Candidate> hosts, PlacementRequest request, Admission admission) {
        List<HostView> usable = hosts.stream().map(Candidate::host).filter(host -> teamMayUse(host, request.teamId()))
                .toList();
        if (!usable.isEmpty() && usable.stream().noneMatch(request::restorableOn)) {
            return incompatible(usable, request);
        }
        Map<String, Integer> passedOver = new LinkedHashMap<>();
        List<Candidate> full = new ArrayList<>();
        for (Candidate host : hosts) {
            if (host.host().state() != HostState.READY) {
                passedOver.merge(host.host().state().wireName(), 1, Integer::sum);
            } else if (!teamMayUse(host.host(), request.teamId())) {
                passedOver.merge("of other teams", 1, Integer::sum);
            } else if (!request.restorableOn(host.host())) {
                passedOver.merge("that cannot restore its saved state", 1, Integer::sum);
            } else {
                full.add(host);
            }
        }
        String counts = passedOver.entrySet().stream().map(kind -> kind.getValue() + " " + kind.getKey())
                .collect(Collectors.joining(", "));
        if (full.isEmpty()) {
            return new ApiException(ErrorCode.NO_CAPACITY, "no host can take a sandbox now: of " + hosts.size()
                    + " hosts, " + counts + "; wait for a host to be ready, or add one");
        }
        return full(full, request.size(), admission, counts.isEmpty() ? "" : "; passed over: " + counts);
    }

    /**
     * 409 {@code snapshot_incompatible}: none of {@code hosts} can restore the saved machine
     * {@code request}'s sandbox starts from; says what it was saved on and what a few hosts lack.
     */
    static ApiException incompatible(List<HostView> hosts, PlacementRequest request) {
        String lacks = hosts.stream().limit(EXAMPLES)
                .map(host -> "host " + Ids.HOST.format(host.id()) + " lacks "
                        + String.join(" and ", request.lackedBy(host)))
                .collect(Collectors.joining("; "));
        String more = hosts.size() > EXAMPLES ? "; and " + (hosts.size() - EXAMPLES) + " more hosts like them" : "";
        return new ApiException(ErrorCode.SNAPSHOT_INCOMPATIBLE, "no host can restore the sandbox's saved state, "
                + "saved on " + request.savedOn().orElseThrow() + ": " + lacks + more
                + "; add a host with that machine type, CPU model and accelerator");
    }

    /** 503 {@code no_capacity}: {@code hosts} (all of them full) have no room for a VM of {@code size}. */
    static ApiException full(List<Candidate> hosts, Resources size, Admission admission) {
        return full(hosts, size, admission, "");
    }

    private static ApiException full(List<Candidate> hosts, Resources size, Admission admission, String others) {
        String rooms = hosts.stream().limit(EXAMPLES).map(admission::room).collect(Collectors.joining("; "));
        String more = hosts.size() > EXAMPLES ? "; and " + (hosts.size() - EXAMPLES) + " more hosts without room" : "";
        return new ApiException(ErrorCode.NO_CAPACITY, "no host has room for a sandbox of " + size.vcpus()
                + " vCPUs and " + size.memoryMb() + " MiB: " + rooms + more + others + " (" + admission.ratios()
                + "); delete or pause sandboxes, or add a host");
    }
}
