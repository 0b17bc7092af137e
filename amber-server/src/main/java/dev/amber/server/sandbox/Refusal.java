package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
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
 * few full ones) so that the message stays readable with a thousand hosts.
 */
final class Refusal {

    /** Full hosts whose room a refusal spells out; the rest are counted. */
    static final int EXAMPLES = 3;

    private Refusal() {}

    /** A team's own host takes only its team's sandboxes; a platform host (no team) everyone's. */
    static boolean teamMayUse(HostView host, UUID teamId) {
        return host.teamId() == null || host.teamId().equals(teamId);
    }

    /** 503 {@code no_capacity}: none of {@code hosts} can take {@code request}'s sandbox, and why. */
    static ApiException noRoom(List<Candidate> hosts, PlacementRequest request, Admission admission) {
        Map<String, Integer> passedOver = new LinkedHashMap<>();
        List<Candidate> full = new ArrayList<>();
        for (Candidate host : hosts) {
            if (host.host().state() != HostState.READY) {
                passedOver.merge(host.host().state().wireName(), 1, Integer::sum);
            } else if (!teamMayUse(host.host(), request.teamId())) {
                passedOver.merge("of other teams", 1, Integer::sum);
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
