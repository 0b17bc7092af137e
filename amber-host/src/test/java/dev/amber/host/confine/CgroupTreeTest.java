package dev.amber.host.confine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits each kind of hierarchy gets, written into directories standing in for cgroupfs. */
class CgroupTreeTest {

    private static final CgroupLimits LIMITS = CgroupLimits.forMachine(2, 512);

    @TempDir
    Path fs;

    @Test
    void machineOfTwoVcpusAnd512MibGetsRamPlusQemuAndTwoAndAHalfCores() {
        assertThat(LIMITS.memoryBytes()).isEqualTo(768L << 20);
        assertThat(LIMITS.pids()).isEqualTo(130);
        assertThat(LIMITS.cpuQuotaMicros()).isEqualTo(250_000);
        assertThat(LIMITS.cpuPeriodMicros()).isEqualTo(100_000);
    }

    @Test
    void cgroupV2GetsMemoryMaxPidsMaxAndCpuMaxWithControllersEnabledOnTheWay() throws Exception {
        Files.writeString(fs.resolve("cgroup.subtree_control"), "");
        CgroupTree tree = new CgroupTree.Unified(fs.resolve("amber"));

        MachineCgroup cgroup = tree.create("q3", LIMITS);

        Path dir = fs.resolve("amber/q3");
        assertThat(cgroup.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));
        assertThat(fs.resolve("cgroup.subtree_control")).hasContent("+memory +pids +cpu");
        assertThat(fs.resolve("amber/cgroup.subtree_control")).hasContent("+memory +pids +cpu");
        assertThat(dir.resolve("memory.max")).hasContent(Long.toString(768L << 20));
        assertThat(dir.resolve("pids.max")).hasContent("130");
        assertThat(dir.resolve("cpu.max")).hasContent("250000 100000");
        assertThat(tree.names()).containsExactly("q3");
    }

    @Test
    void cgroupV1GetsALimitInEachControllersHierarchy() throws Exception {
        CgroupTree tree = new CgroupTree.PerController(fs.resolve("memory/amber"), fs.resolve("pids/amber"),
                fs.resolve("cpu/amber"));

        MachineCgroup cgroup = tree.create("q3", LIMITS);

        assertThat(cgroup.procsFiles()).containsExactly(fs.resolve("memory/amber/q3/cgroup.procs"),
                fs.resolve("pids/amber/q3/cgroup.procs"), fs.resolve("cpu/amber/q3/cgroup.procs"));
        assertThat(fs.resolve("memory/amber/q3/memory.limit_in_bytes")).hasContent(Long.toString(768L << 20));
        assertThat(fs.resolve("pids/amber/q3/pids.max")).hasContent("130");
        assertThat(fs.resolve("cpu/amber/q3/cpu.cfs_quota_us")).hasContent("250000");
        assertThat(fs.resolve("cpu/amber/q3/cpu.cfs_period_us")).hasContent("100000");
    }

    @Test
    void aKillByTheOutOfMemoryKillerIsReadFromTheCounter() throws Exception {
        Path dir = Files.createDirectories(fs.resolve("q1"));
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");

        assertThat(new MachineCgroup(List.of(dir), dir.resolve("memory.events")).oomKills()).isEqualTo(1);
    }
}
