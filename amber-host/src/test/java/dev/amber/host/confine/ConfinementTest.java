package dev.amber.host.confine;

import dev.amber.host.Layout;
import dev.amber.host.TestRuntime;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.sandbox.SandboxState;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sandboxes' QEMUs on one host (as root): each under a uid of its own and in a cgroup of its
 * own with its memory bounded; neither can read the other's files or signal it, nor see the other's
 * directory; a guest that needs more memory than its cgroup allows takes down its own QEMU only.
 */
class ConfinementTest {

    private static Sandbox first;
    private static Sandbox second;

    @BeforeAll
    static void boot() throws Exception {
        first = TestRuntime.boot();
        // the others are clones of the base snapshot, like most sandboxes: their written pages are
        // QEMU's own memory (a cold boot's RAM is its file's page cache, written back, not killed)
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!TestRuntime.get().hasBaseSnapshot(MachineResources.DEFAULT) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        second = TestRuntime.boot();
    }

    @AfterAll
    static void destroy() throws Exception {
        for (Sandbox sandbox : new Sandbox[] {first, second}) {
            if (sandbox != null) {
                TestRuntime.get().destroy(sandbox.id());
            }
        }
    }

    @Test
    void eachQemuRunsUnderAUidOfItsOwnFromThePool() throws Exception {
        int firstUid = uid(first.pid());
        int secondUid = uid(second.pid());

        assertThat(firstUid).isNotEqualTo(secondUid);
        assertThat(List.of(firstUid, secondUid)).allSatisfy(uid ->
                assertThat(uid).isBetween(UidLeases.BASE_UID, UidLeases.BASE_UID + UidLeases.SLOTS - 1));
    }

    @Test
    void eachQemuIsInACgroupOfItsOwnWithItsMemoryBounded() throws Exception {
        Path firstMemory = memoryCgroup(first.pid());
        Path secondMemory = memoryCgroup(second.pid());

        assertThat(firstMemory).isNotEqualTo(secondMemory);
        long expected = CgroupLimits.forMachine(1, MachineResources.DEFAULT.memoryMb()).memoryBytes();
        assertThat(memoryLimit(firstMemory)).isEqualTo(expected);
        assertThat(memoryLimit(secondMemory)).isEqualTo(expected);
    }

    @Test
    void oneQemusUidCannotReadTheOthersFilesNorSignalIt() throws Exception {
        String firstUid = Integer.toString(uid(first.pid()));

        assertThat(asUid(firstUid, "cat", paths(second).disk().toString())).isNotZero();
        assertThat(asUid(firstUid, "cat", paths(second).qemuLog().toString())).isNotZero();
        assertThat(asUid(firstUid, "kill", "-0", Long.toString(second.pid()))).isNotZero();
        // the same commands as root succeed: what stops the QEMU's uid is the confinement
        assertThat(run(List.of("cat", paths(second).qemuLog().toString()))).isZero();
        assertThat(run(List.of("kill", "-0", Long.toString(second.pid())))).isZero();
    }

    @Test
    void aQemuSeesOnlyItsOwnDirectoryAmongTheSandboxes() throws Exception {
        Path sandboxes = paths(first).dir().getParent();
        Path seenByFirst = Path.of("/proc/" + first.pid() + "/root" + sandboxes);

        try (Stream<Path> entries = Files.list(seenByFirst)) {
            assertThat(entries.map(entry -> entry.getFileName().toString())).containsExactly(first.id());
        }
        assertThat(seenByFirst.resolve(first.id()).resolve("qemu.log")).exists();
    }

    @Test
    void aGuestNeedingMoreMemoryThanItsCgroupAllowsTakesDownOnlyItsOwnQemu() throws Exception {
        Sandbox hungry = TestRuntime.boot();
        try {
            Path memory = memoryCgroup(hungry.pid());
            // bound it well below its guest RAM: what the QEMU holds now and 32 MiB more
            setMemoryLimit(memory, memoryUsage(memory) + (32L << 20));
            try {
                hungry.agent().run(ExecCommand.of("python3", "-c", "x = b'\\x01' * (160 << 20); print(len(x))"), null);
            } catch (IOException expected) {
                // the channel closes as QEMU is killed
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hungry.state() != SandboxState.CRASHED && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }

            assertThat(hungry.state()).isEqualTo(SandboxState.CRASHED);
            assertThat(hungry.crashReason()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("killed by signal 9").contains("out of memory"));
            assertThat(first.agent().run(ExecCommand.of("echo", "alive"), null).stdoutText()).isEqualTo("alive\n");
            assertThat(second.state()).isEqualTo(SandboxState.RUNNING);
        } finally {
            TestRuntime.get().destroy(hungry.id());
        }
    }

    /** The sandbox's files, where the test runtime keeps them. */
    private static Layout.SandboxPaths paths(Sandbox sandbox) {
        return TestRuntime.layout().sandbox(sandbox.id());
    }

    private static int uid(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).strip().split("\\s+");
                assertThat(ids).as("real, effective, saved and filesystem uid").containsOnly(ids[0]);
                return Integer.parseInt(ids[0]);
            }
        }
        throw new IOException("no Uid line for pid " + pid);
    }

    /** The directory of the memory cgroup {@code pid} is in (cgroup v2's, or v1's memory hierarchy's). */
    private static Path memoryCgroup(long pid) throws IOException {
        boolean unified = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] fields = line.split(":", 3);
            if (unified ? fields[0].equals("0") : List.of(fields[1].split(",")).contains("memory")) {
                return Path.of(unified ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory").resolve(fields[2].substring(1));
            }
        }
        throw new IOException("pid " + pid + " is in no memory cgroup");
    }

    private static Path limitFile(Path cgroup) {
        return cgroup.resolve(Files.exists(cgroup.resolve("memory.max")) ? "memory.max" : "memory.limit_in_bytes");
    }

    private static long memoryLimit(Path cgroup) throws IOException {
        return Long.parseLong(Files.readString(limitFile(cgroup)).strip());
    }

    private static long memoryUsage(Path cgroup) throws IOException {
        Path current = cgroup.resolve("memory.current");
        return Long.parseLong(Files.readString(Files.exists(current) ? current
                : cgroup.resolve("memory.usage_in_bytes")).strip());
    }

    private static void setMemoryLimit(Path cgroup, long bytes) throws IOException {
        Path memsw = cgroup.resolve("memory.memsw.limit_in_bytes");
        Files.writeString(limitFile(cgroup), Long.toString(bytes));
        if (Files.exists(memsw)) {
            Files.writeString(memsw, Long.toString(bytes));
        }
    }

    private static int asUid(String uid, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups"));
        argv.addAll(List.of(command));
        return run(argv);
    }

    private static int run(List<String> argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }
}
