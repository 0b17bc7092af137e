package dev.amber.host.snapshot;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.QemuImg;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.MemoryBacking;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * QEMUs started ahead of demand for the snapshots sandboxes were most recently created from. Each
 * waits with {@code -incoming defer} on a fresh overlay of the snapshot's disk, its RAM mapped
 * from the snapshot's memory file, inside a network namespace of its own. A create from that
 * snapshot takes it (its directory becomes the sandbox's) and only loads the device state and
 * runs: no QEMU launch, overlay or namespace on its path. Bounded: one machine for each of the
 * {@code limit} snapshots used last; those of a snapshot that falls out of that set, or is deleted
 * or re-made, are destroyed. Refilled in the background after every create from a snapshot.
 */
public final class PrestartedMachines implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.runtime");

    /** A snapshot as it is now: one re-made at the same place (a rebuilt base snapshot) is another source. */
    public record Source(Layout.SnapshotPaths snapshot, SnapshotManifest manifest) {}

    /** A QEMU waiting for its source's state, in the directory and network made for it. */
    public record Machine(Source source, MachineSlot slot, MachineRestorer.Incoming incoming) {

        public Path dir() {
            return slot.paths().dir();
        }

        public SandboxNetwork network() {
            return slot.network();
        }

        public void destroy() {
            incoming.close();
            try {
                slot.network().close();
                FileTrees.deleteTree(dir());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove pre-started machine {0}: {1}", dir(), e.getMessage());
            }
        }
    }

    private final Layout layout;
    private final HostNetwork network;
    private final MachineRestorer restorer;
    private final int limit;
    /** The sources sandboxes were created from, least recently used first, with the policy they asked for last. */
    private final LinkedHashMap<Source, NetworkPolicy> demand = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Source, Machine> waiting = new LinkedHashMap<>();
    private final ExecutorService filler = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("prestart").daemon().factory());
    private boolean closed;

    public PrestartedMachines(Layout layout, HostNetwork network, MachineRestorer restorer, int limit) {
        this.layout = requireNonNull(layout, "layout");
        this.network = requireNonNull(network, "network");
        this.restorer = requireNonNull(restorer, "restorer");
        this.limit = limit;
    }

    /**
     * The machine waiting for {@code source}, if there is one; either way the source counts as just
     * used and the pool is refilled in the background.
     */
    public Optional<Machine> take(Source source, NetworkPolicy policy) {
        if (limit == 0) {
            return Optional.empty();
        }
        Machine machine;
        synchronized (this) {
            if (closed) {
                return Optional.empty();
            }
            demand.keySet().removeIf(known -> known.snapshot().equals(source.snapshot()) && !known.equals(source));
            demand.put(source, policy);
            while (demand.size() > limit) {
                demand.pollFirstEntry();
            }
            machine = waiting.remove(source);
        }
        refill();
        return Optional.ofNullable(machine);
    }

    /** The PID of the QEMU waiting for {@code snapshot}, if one is. */
    public synchronized Optional<Long> waitingFor(Layout.SnapshotPaths snapshot) {
        return waiting.values().stream()
                .filter(machine -> machine.source().snapshot().equals(snapshot))
                .map(machine -> machine.incoming().qemu().pid())
                .findFirst();
    }

    /** Destroys the machines waiting for a snapshot that is going away. */
    public void discard(Layout.SnapshotPaths snapshot) {
        List<Machine> gone = new ArrayList<>();
        synchronized (this) {
            demand.keySet().removeIf(source -> source.snapshot().equals(snapshot));
            waiting.values().removeIf(machine -> machine.source().snapshot().equals(snapshot) && gone.add(machine));
        }
        gone.forEach(Machine::destroy);
    }

    private void refill() {
        try {
            filler.execute(this::fill);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing to refill
        }
    }

    /** Destroys machines nobody is likely to want, and starts one for each wanted source without. */
    private void fill() {
        List<Machine> unwanted = new ArrayList<>();
        Map<Source, NetworkPolicy> missing = new LinkedHashMap<>();
        synchronized (this) {
            waiting.values().removeIf(machine -> !demand.containsKey(machine.source()) && unwanted.add(machine));
            demand.forEach((source, policy) -> {
                if (!waiting.containsKey(source)) {
                    missing.put(source, policy);
                }
            });
        }
        unwanted.forEach(Machine::destroy);
        missing.forEach((source, policy) -> {
            try {
                Machine machine = start(source, policy);
                synchronized (this) {
                    if (!closed && demand.containsKey(source) && !waiting.containsKey(source)) {
                        waiting.put(source, machine);
                        return;
                    }
                }
                machine.destroy();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not pre-start a machine for {0}: {1}", source.snapshot().dir(),
                        e.getMessage());
            }
        });
    }

    private Machine start(Source source, NetworkPolicy policy) throws IOException {
        String id = "sb-" + UUID.randomUUID();
        Layout.SandboxPaths paths = layout.prestarted(id);
        SandboxNetwork machineNetwork = null;
        try {
            paths.create();
            Files.writeString(paths.ownerFile(), Long.toString(ProcessHandle.current().pid()));
            QemuImg.createOverlay(source.snapshot().disk(), paths.disk(), source.manifest().diskSizeMb());
            machineNetwork = SandboxNetwork.create(network, id, policy);
            MachineSlot slot = new MachineSlot(id, paths, source.manifest().resources(), machineNetwork);
            MachineRestorer.Incoming incoming = restorer.launchIncoming(slot,
                    new MemoryBacking.PrivateCopy(source.snapshot().memory()));
            return new Machine(source, slot, incoming);
        } catch (IOException | RuntimeException e) {
            if (machineNetwork != null) {
                machineNetwork.close();
            }
            FileTrees.deleteTree(paths.dir());
            throw e;
        }
    }

    /** Stops refilling and destroys every waiting machine. */
    @Override
    public void close() {
        List<Machine> gone;
        synchronized (this) {
            closed = true;
            gone = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        filler.shutdown();
        try {
            filler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gone.forEach(Machine::destroy);
    }
}
