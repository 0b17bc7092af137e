package dev.amber.server.sandbox;

import dev.amber.server.Ids;
import dev.amber.server.sandbox.HostPool.Candidate;

import static java.util.Objects.requireNonNull;

/**
 * Whether a host has room for one more VM: the VMs placed on it plus the new one stay within its
 * memory times the memory overcommit ratio and its cores times the vCPU ratio. A host that has not
 * reported its capacity has no room.
 */
public final class Admission {

    /** How far a host's memory and cores may be promised to VMs: 1.0 is exactly what it has. */
    public record Overcommit(double memory, double vcpus) {
        public Overcommit {
            if (!(memory > 0) || !(vcpus > 0)) {
                throw new IllegalArgumentException("overcommit ratios must be positive, got " + memory + " and " + vcpus);
            }
        }
    }

    private final Overcommit overcommit;

    public Admission(Overcommit overcommit) {
        this.overcommit = requireNonNull(overcommit, "overcommit");
    }

    /** Whether {@code host}, with what is placed on it, has room for a VM of {@code size}. */
    public boolean fits(Candidate host, Resources size) {
        if (!reported(host)) {
            return false;
        }
        PlacedLoad after = host.placed().plus(size);
        return after.memoryMb() <= allowedMemoryMb(host) && after.vcpus() <= allowedVcpus(host);
    }

    /** Whether the host said what it has (cores and memory). */
    boolean reported(Candidate host) {
        return host.host().load().filter(load -> load.cpuCount() > 0 && load.memoryTotalBytes() > 0).isPresent();
    }

    /** The memory the host may promise to VMs, in MiB (0 when it has not said). */
    double allowedMemoryMb(Candidate host) {
        return host.host().load().map(load -> (load.memoryTotalBytes() >> 20) * overcommit.memory()).orElse(0.0);
    }

    /** The vCPUs the host may promise to VMs (0 when it has not said). */
    double allowedVcpus(Candidate host) {
        return host.host().load().map(load -> load.cpuCount() * overcommit.vcpus()).orElse(0.0);
    }

    /** What {@code host} has placed of what it may promise: for the message of a refusal. */
    String room(Candidate host) {
        String id = Ids.HOST.format(host.host().id());
        if (!reported(host)) {
            return "host " + id + " did not report its capacity";
        }
        return "host " + id + " has " + host.placed().memoryMb() + " of " + (long) allowedMemoryMb(host)
                + " MiB and " + host.placed().vcpus() + " of " + (long) allowedVcpus(host) + " vCPUs placed";
    }

    /** The ratios, as a refusal quotes them. */
    String ratios() {
        return "memory overcommit " + overcommit.memory() + ", vCPU overcommit " + overcommit.vcpus();
    }
}
