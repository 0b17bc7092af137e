package dev.amber.bench;

import dev.amber.api.error.ApiException;
import dev.amber.api.host.HostLoad;
import dev.amber.server.host.HostState;
import dev.amber.server.host.HostView;
import dev.amber.server.sandbox.Admission;
import dev.amber.server.sandbox.HostPool;
import dev.amber.server.sandbox.Locality;
import dev.amber.server.sandbox.PlacedLoad;
import dev.amber.server.sandbox.Placement;
import dev.amber.server.sandbox.PlacementRequest;
import dev.amber.server.sandbox.Resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The real {@link Placement} on a simulated cluster (no VM, no database): hosts of mixed sizes, creates
 * from snapshots that a few hosts each hold, and deletes, filling the cluster to about 85% of its
 * memory and churning there. The same operations placed at random among the hosts that fit are the
 * baseline: how much locality the scoring wins, at what cost in decisions a second and in packing.
 */
final class PlacementBench {

    private static final long GIB = 1L << 30;
    private static final int[] CORES = {8, 16, 32, 64};
    /** Sandbox sizes and how often each is asked for (weights out of 10). */
    private static final List<Resources> SIZES = List.of(new Resources(1, 512, 5120), new Resources(2, 2048, 5120),
            new Resources(4, 4096, 10240), new Resources(8, 16384, 20480));
    private static final int[] SIZE_WEIGHTS = {4, 3, 2, 1};
    private static final double FILL = 0.85;
    private static final UUID TEAM = UUID.randomUUID();
    private static final Admission ADMISSION = new Admission(new Admission.Overcommit(1.0, 16));

    private final Report report;

    PlacementBench(Report report) {
        this.report = report;
    }

    /** Chooses a host for a request; empty: refused. */
    private interface Strategy {
        Optional<UUID> place(PlacementRequest request);
    }

    /** What one strategy did with the whole run of operations. */
    private record Outcome(int placed, int refused, int local, double decisionSeconds, double fillAtFirstRefusal) {
        double hitRate() {
            return 100.0 * local / placed;
        }
    }

    /** A sandbox that was placed: on which host, of which size (to free on delete). */
    private record Live(UUID host, Resources size) {}

    void run(Options options) {
        int hostCount = options.integer("--hosts", 1000);
        int operations = options.integer("--operations", 100_000);
        int snapshotCount = options.integer("--placement-snapshots", 500);
        long seed = options.integer("--seed", 19);
        Random random = new Random(seed);
        List<HostView> hosts = new ArrayList<>();
        for (int i = 0; i < hostCount; i++) {
            int cores = CORES[random.nextInt(CORES.length)];
            long memory = cores * 4 * GIB;
            hosts.add(new HostView(UUID.randomUUID(), HostState.READY, null,
                    Optional.of(new HostLoad(cores, 0, memory, memory, 2000 * GIB, 2000 * GIB)), Set.of(),
                    Optional.empty()));
        }
        List<PlacementRequest> snapshots = new ArrayList<>();
        for (int i = 0; i < snapshotCount; i++) {
            Set<UUID> holders = new HashSet<>();
            while (holders.size() < 3) {
                holders.add(hosts.get(random.nextInt(hostCount)).id());
            }
            snapshots.add(PlacementRequest.anywhere(TEAM, size(random), new Locality.HeldBy(holders), Optional.empty()));
        }

        Outcome scored = simulate(hosts, snapshots, operations, seed, placed -> {
            HostPool pool = new HostPool(hosts, id -> placed.getOrDefault(id, PlacedLoad.NONE));
            Placement placement = new Placement(() -> pool, ADMISSION, new Random(seed));
            return request -> {
                try {
                    return Optional.of(placement.hostFor(request));
                } catch (ApiException refused) {
                    return Optional.empty();
                }
            };
        });
        Outcome baseline = simulate(hosts, snapshots, operations, seed, placed -> {
            Random pick = new Random(seed);
            return request -> {
                List<UUID> fitting = hosts.stream()
                        .filter(host -> ADMISSION.fits(new HostPool.Candidate(host,
                                placed.getOrDefault(host.id(), PlacedLoad.NONE)), request.size()))
                        .map(HostView::id).toList();
                return fitting.isEmpty() ? Optional.empty() : Optional.of(fitting.get(pick.nextInt(fitting.size())));
            };
        });

        report.context("placement cluster", hostCount + " hosts of 8-64 cores and 32-256 GiB, " + operations
                + " creates and deletes from " + snapshotCount + " snapshots held by 3 hosts each, filled to "
                + Math.round(FILL * 100) + "% of memory");
        report.figure("placements/s (best of 8 sampled + holders)", scored.placed() / scored.decisionSeconds(), "/s");
        report.figure("placements/s (random among hosts that fit)", baseline.placed() / baseline.decisionSeconds(), "/s");
        report.figure("placement locality hit rate", scored.hitRate(), "%");
        report.figure("placement locality hit rate, random", baseline.hitRate(), "%");
        report.figure("creates refused during the churn", scored.refused(), "");
        report.figure("creates refused during the churn, random", baseline.refused(), "");
        report.figure("packing: memory filled at the first refusal", scored.fillAtFirstRefusal(), "%");
        report.figure("packing: memory filled at the first refusal, random", baseline.fillAtFirstRefusal(), "%");
        System.out.printf(Locale.ROOT, "locality hit rate %.1f%% (random %.1f%%)%n", scored.hitRate(), baseline.hitRate());
    }

    private static long memoryMb(HostView host) {
        return host.load().orElseThrow().memoryTotalBytes() >> 20;
    }

    private static Resources size(Random random) {
        int draw = random.nextInt(10);
        for (int i = 0; i < SIZES.size(); i++) {
            draw -= SIZE_WEIGHTS[i];
            if (draw < 0) {
                return SIZES.get(i);
            }
        }
        throw new IllegalStateException("size weights must add up to 10");
    }

    /**
     * Runs the operations (the same ones for every strategy: drawn from {@code seed}) and times only
     * the strategy's decisions. Below the fill target most operations create; above it most delete.
     * Then creates only, until the first one no host has room for: how full the cluster got is its
     * packing. {@code strategy} is made for the map of what is placed where, which the run keeps up to date.
     */
    private static Outcome simulate(List<HostView> hosts, List<PlacementRequest> snapshots, int operations, long seed,
                                    Function<Map<UUID, PlacedLoad>, Strategy> strategy) {
        Random random = new Random(seed);
        Cluster cluster = new Cluster(hosts);
        Strategy chooser = strategy.apply(cluster.placed);
        int created = 0;
        int refused = 0;
        int local = 0;
        long decisionNanos = 0;
        for (int op = 0; op < operations; op++) {
            if (!cluster.live.isEmpty() && random.nextDouble() >= (cluster.fill() < FILL ? 0.9 : 0.35)) {
                cluster.deleteOne(random);
                continue;
            }
            PlacementRequest request = snapshots.get(random.nextInt(snapshots.size()));
            long started = System.nanoTime();
            Optional<UUID> host = chooser.place(request);
            decisionNanos += System.nanoTime() - started;
            if (host.isEmpty()) {
                refused++;
                continue;
            }
            created++;
            local += request.locality().at(cluster.byId.get(host.get())) ? 1 : 0;
            cluster.add(host.get(), request.size());
        }
        Optional<UUID> host;
        do {
            PlacementRequest request = snapshots.get(random.nextInt(snapshots.size()));
            host = chooser.place(request);
            host.ifPresent(id -> cluster.add(id, request.size()));
        } while (host.isPresent());
        return new Outcome(created, refused, local, decisionNanos / 1e9, 100 * cluster.fill());
    }

    /** The simulated cluster's state: what is placed on each host, and the sandboxes alive. */
    private static final class Cluster {
        private final Map<UUID, HostView> byId;
        private final double capacityMb;
        private final Map<UUID, PlacedLoad> placed = new HashMap<>();
        private final List<Live> live = new ArrayList<>();
        private long placedMb;

        Cluster(List<HostView> hosts) {
            this.byId = hosts.stream().collect(Collectors.toMap(HostView::id, host -> host));
            this.capacityMb = hosts.stream().mapToLong(PlacementBench::memoryMb).sum();
        }

        double fill() {
            return placedMb / capacityMb;
        }

        void add(UUID host, Resources size) {
            placed.put(host, placed.getOrDefault(host, PlacedLoad.NONE).plus(size));
            live.add(new Live(host, size));
            placedMb += size.memoryMb();
        }

        void deleteOne(Random random) {
            int index = random.nextInt(live.size());
            Live gone = live.get(index);
            live.set(index, live.getLast());
            live.removeLast();
            placed.computeIfPresent(gone.host(), (id, was) -> was.minus(gone.size()));
            placedMb -= gone.size().memoryMb();
        }
    }
}
