package dev.amber.server.sandbox;

import dev.amber.api.host.HostLoad;
import dev.amber.server.sandbox.HostPool.Candidate;

import static java.util.Objects.requireNonNull;

/**
 * How good a host that has room is for a new sandbox: higher is better. Each term is between 0 and
 * 1, times its weight.
 */
final class HostScore {

    /** Memory is the hard limit (never overcommitted by default): spread it, so no host fills up first. */
    static final double FREE_MEMORY = 1.0;

    /**
     * vCPUs are overcommitted many times over and idle sandboxes cost next to no CPU, so CPU load
     * weighs half as much as memory: it breaks ties between hosts with about the same free memory.
     */
    static final double CPU_IDLE = 0.5;

    /**
     * Starting where the source already is avoids copying a snapshot or building a base snapshot
     * (seconds, and disk on a second host): worth a host with 30 points less free memory.
     */
    static final double LOCALITY = 0.3;

    /**
     * A team that brought its own hosts pays for them: any of them with room beats every platform
     * host (more than the other terms together), which stay its overflow.
     */
    static final double OWN_HOST = 2.0;

    private final Admission admission;

    HostScore(Admission admission) {
        this.admission = requireNonNull(admission, "admission");
    }

    /** The score of {@code host}, which has room for {@code request}'s sandbox. */
    double of(Candidate host, PlacementRequest request) {
        PlacedLoad after = host.placed().plus(request.size());
        double freeMemory = 1 - after.memoryMb() / admission.allowedMemoryMb(host);
        double placedCpu = after.vcpus() / admission.allowedVcpus(host);
        double busyCpu = host.host().load().map(HostLoad::cpuPercent).orElse(0.0) / 100;
        double cpuIdle = 1 - Math.min(1, Math.max(placedCpu, busyCpu));
        return FREE_MEMORY * freeMemory + CPU_IDLE * cpuIdle
                + (request.locality().at(host.host()) ? LOCALITY : 0)
                + (request.teamId().equals(host.host().teamId()) ? OWN_HOST : 0);
    }
}
