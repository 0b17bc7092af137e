package dev.amber.host.confine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where this host's QEMU cgroups live: under cgroup v2, {@code /sys/fs/cgroup/amber/<name>} with
 * the memory, pids and cpu controllers enabled on the way down; on a host still on cgroup v1 (this
 * kind of container host: v2 is mounted but holds no controller), one {@code amber/<name>} per
 * controller hierarchy, under the cgroup the host agent itself is in, so that the limits it lives
 * under (a container's, a service's) still bound its QEMUs.
 */
public sealed interface CgroupTree {

    Path ROOT = Path.of("/sys/fs/cgroup");
    String CONTROLLERS = "+memory +pids +cpu";
    /**
     * The QEMUs' parent competes for CPU as one entity with the host's other tasks (under v1, with
     * each of them): it weighs as much as four busy tasks per core (the vCPU overcommit admission
     * allows), so grouping the QEMUs does not starve them beside a busy host.
     */
    int PARENT_WEIGHT_TASKS = 4 * Runtime.getRuntime().availableProcessors();

    /** Makes cgroup {@code name} with {@code limits} (a leftover of that name is removed first). */
    MachineCgroup create(String name, CgroupLimits limits) throws IOException;

    /** Cgroup {@code name} as it would be made, to remove a leftover. */
    MachineCgroup existing(String name);

    /** The names of the cgroups there now. */
    List<String> names() throws IOException;

    /** The cgroup v2 hierarchy, controllers enabled from the root down to {@code parent}. */
    record Unified(Path parent) implements CgroupTree {

        @Override
        public MachineCgroup create(String name, CgroupLimits limits) throws IOException {
            existing(name).remove();
            Files.writeString(parent.getParent().resolve("cgroup.subtree_control"), CONTROLLERS);
            Files.createDirectories(parent);
            Files.writeString(parent.resolve("cgroup.subtree_control"), CONTROLLERS);
            writeIfPresent(parent.resolve("cpu.weight"), Integer.toString(Math.min(10_000, 100 * PARENT_WEIGHT_TASKS)));
            Path dir = Files.createDirectory(parent.resolve(name));
            Files.writeString(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            writeIfPresent(dir.resolve("memory.swap.max"), "0");
            Files.writeString(dir.resolve("pids.max"), Integer.toString(limits.pids()));
            Files.writeString(dir.resolve("cpu.max"), limits.cpuQuotaMicros() + " " + limits.cpuPeriodMicros());
            return existing(name);
        }

        @Override
        public MachineCgroup existing(String name) {
            Path dir = parent.resolve(name);
            return new MachineCgroup(List.of(dir), dir.resolve("memory.events"));
        }

        @Override
        public List<String> names() throws IOException {
            return subdirectories(parent);
        }
    }

    /** cgroup v1: the amber parent in each of the memory, pids and cpu hierarchies. */
    record PerController(Path memory, Path pids, Path cpu) implements CgroupTree {

        @Override
        public MachineCgroup create(String name, CgroupLimits limits) throws IOException {
            existing(name).remove();
            Path memoryDir = Files.createDirectories(memory.resolve(name));
            Files.writeString(memoryDir.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
            // memory + swap no larger than memory: a guest cannot spill past its limit into swap
            writeIfPresent(memoryDir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
            Path pidsDir = Files.createDirectories(pids.resolve(name));
            Files.writeString(pidsDir.resolve("pids.max"), Integer.toString(limits.pids()));
            Files.createDirectories(cpu);
            writeIfPresent(cpu.resolve("cpu.shares"), Integer.toString(1024 * PARENT_WEIGHT_TASKS));
            Path cpuDir = Files.createDirectories(cpu.resolve(name));
            Files.writeString(cpuDir.resolve("cpu.cfs_period_us"), Long.toString(limits.cpuPeriodMicros()));
            Files.writeString(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros()));
            return existing(name);
        }

        @Override
        public MachineCgroup existing(String name) {
            return new MachineCgroup(List.of(memory.resolve(name), pids.resolve(name), cpu.resolve(name)),
                    memory.resolve(name).resolve("memory.oom_control"));
        }

        @Override
        public List<String> names() throws IOException {
            return subdirectories(memory);
        }
    }

    /**
     * The tree this host offers: cgroup v2 when its root has the memory, pids and cpu controllers,
     * else cgroup v1 when those three hierarchies are mounted, else none (then QEMUs run unbounded).
     */
    static Optional<CgroupTree> detect() throws IOException {
        Path controllers = ROOT.resolve("cgroup.controllers");
        if (Files.exists(controllers)) {
            List<String> available = List.of(Files.readString(controllers).strip().split(" "));
            return available.containsAll(List.of("memory", "pids", "cpu"))
                    ? Optional.of(new Unified(ROOT.resolve("amber")))
                    : Optional.empty();
        }
        Optional<Path> memory = v1Parent("memory", "memory.limit_in_bytes");
        Optional<Path> pids = v1Parent("pids", "cgroup.procs");
        Optional<Path> cpu = v1Parent("cpu", "cpu.cfs_quota_us");
        if (memory.isEmpty() || pids.isEmpty() || cpu.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PerController(memory.get(), pids.get(), cpu.get()));
    }

    /** {@code amber} under this process's own cgroup in controller {@code controller}'s v1 hierarchy. */
    private static Optional<Path> v1Parent(String controller, String controlFile) throws IOException {
        Path mount = ROOT.resolve(controller);
        if (!Files.exists(mount.resolve(controlFile)) && !Files.exists(mount.resolve("cgroup.procs"))) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && List.of(fields[1].split(",")).contains(controller)) {
                return Optional.of(mount.resolve(fields[2].substring(1)).resolve("amber"));
            }
        }
        return Optional.empty();
    }

    private static void writeIfPresent(Path file, String value) throws IOException {
        if (Files.exists(file)) {
            Files.writeString(file, value);
        }
    }

    private static List<String> subdirectories(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                entries.filter(Files::isDirectory).forEach(entry -> names.add(entry.getFileName().toString()));
            }
        }
        return names;
    }
}
