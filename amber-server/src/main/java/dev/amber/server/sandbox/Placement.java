package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.host.HostLoad;
import dev.amber.server.Ids;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostState;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Chooses the host of a new sandbox, and admits work onto a host only within its capacity. One that
 * starts from files only one host has (a snapshot, a template's layer or image) goes to that host;
 * any other to the connected host with the fewest active sandboxes among those with room for it. A
 * host has room while the VMs placed on it (paused ones hold no memory and no CPU) plus the new one
 * stay within its memory times the memory overcommit ratio and its cores times the vCPU ratio.
 */
public final class Placement {

    /** How far a host's memory and cores may be promised to VMs: 1.0 is exactly what it has. */
    public record Overcommit(double memory, double vcpus) {
        public Overcommit {
            if (!(memory > 0) || !(vcpus > 0)) {
                throw new IllegalArgumentException("overcommit ratios must be positive, got " + memory + " and " + vcpus);
            }
        }
    }

    /**
     * A connected host: how many sandboxes are active on it, what it has ({@code cores}, {@code memoryMiB};
     * 0 when it did not say) and what the VMs placed on it take.
     */
    public record Candidate(UUID hostId, int activeSandboxes, int cores, long memoryMiB, int placedVcpus,
                            long placedMemoryMiB) {
        public Candidate {
            requireNonNull(hostId, "hostId");
        }

        boolean reported() {
            return cores > 0 && memoryMiB > 0;
        }
    }

    private final Supplier<List<Candidate>> candidates;
    private final Overcommit overcommit;

    /** {@code candidates}: the hosts connected at the moment it is asked, with their capacity and load. */
    public Placement(Supplier<List<Candidate>> candidates, Overcommit overcommit) {
        this.candidates = requireNonNull(candidates, "candidates");
        this.overcommit = requireNonNull(overcommit, "overcommit");
    }

    /**
     * Placement among the ready hosts of {@code hosts} (not unreachable, draining or removed), from
     * what each last reported it has and the sandboxes recorded on it.
     */
    public static Placement onConnectedHosts(HostDirectory hosts, SandboxRepository sandboxes, Overcommit overcommit) {
        requireNonNull(hosts, "hosts");
        requireNonNull(sandboxes, "sandboxes");
        return new Placement(() -> hosts.hosts().stream().filter(host -> host.state() == HostState.READY).map(host -> {
            List<SandboxRecord> active = sandboxes.activeOnHost(host.id());
            List<SandboxRecord> withVm = active.stream().filter(Placement::holdsVm).toList();
            Optional<HostLoad> load = host.load();
            return new Candidate(host.id(), active.size(), load.map(HostLoad::cpuCount).orElse(0),
                    load.map(l -> l.memoryTotalBytes() >> 20).orElse(0L),
                    withVm.stream().mapToInt(SandboxRecord::vcpus).sum(),
                    withVm.stream().mapToLong(SandboxRecord::memoryMb).sum());
        }).toList(), overcommit);
    }

    private static boolean holdsVm(SandboxRecord sandbox) {
        return sandbox.state() != SandboxState.PAUSED && sandbox.state() != SandboxState.ERROR
                && sandbox.state() != SandboxState.STOPPED;
    }

    /**
     * The host for a new sandbox of {@code size}: {@code holder} when its source's files are on that
     * host (empty when any host can start it) and it has room, else the least loaded connected host
     * with room; 503 {@code no_capacity} saying why when there is none.
     */
    public UUID hostFor(Optional<UUID> holder, Resources size) {
        requireNonNull(size, "size");
        if (holder.isPresent()) {
            admit(holder.get(), size);
            return holder.get();
        }
        List<Candidate> hosts = candidates.get();
        if (hosts.isEmpty()) {
            throw new ApiException(ErrorCode.NO_CAPACITY,
                    "no host is available to run sandboxes; start one (./amber up starts a local host)");
        }
        return hosts.stream()
                .filter(host -> fits(host, size))
                .min(Comparator.comparingInt(Candidate::activeSandboxes))
                .map(Candidate::hostId)
                .orElseThrow(() -> full(size, hosts));
    }

    /**
     * Refuses with 503 {@code no_capacity} when {@code hostId} has no room for a VM of {@code size}
     * (a resume, or a source bound to that host). A host that is not connected, or did not report its
     * capacity, is left to the call that reaches it.
     */
    public void admit(UUID hostId, Resources size) {
        requireNonNull(size, "size");
        candidates.get().stream()
                .filter(host -> host.hostId().equals(hostId) && host.reported() && !fits(host, size))
                .findFirst()
                .ifPresent(host -> {
                    throw full(size, List.of(host));
                });
    }

    private boolean fits(Candidate host, Resources size) {
        if (!host.reported()) {
            return false;
        }
        return host.placedMemoryMiB() + size.memoryMb() <= host.memoryMiB() * overcommit.memory()
                && host.placedVcpus() + size.vcpus() <= host.cores() * overcommit.vcpus();
    }

    private ApiException full(Resources size, List<Candidate> hosts) {
        String why = hosts.stream().map(this::room).collect(Collectors.joining("; "));
        return new ApiException(ErrorCode.NO_CAPACITY, "no host has room for a sandbox of " + size.vcpus()
                + " vCPUs and " + size.memoryMb() + " MiB: " + why + " (memory overcommit " + overcommit.memory()
                + ", vCPU overcommit " + overcommit.vcpus() + "); delete or pause sandboxes, or add a host");
    }

    private String room(Candidate host) {
        String id = Ids.HOST.format(host.hostId());
        if (!host.reported()) {
            return "host " + id + " did not report its capacity";
        }
        return "host " + id + " has " + host.placedMemoryMiB() + " of " + (long) (host.memoryMiB() * overcommit.memory())
                + " MiB and " + host.placedVcpus() + " of " + (long) (host.cores() * overcommit.vcpus())
                + " vCPUs placed";
    }
}
