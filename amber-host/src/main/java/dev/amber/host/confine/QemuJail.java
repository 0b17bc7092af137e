package dev.amber.host.confine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * How one QEMU is shut in, as parts of its launch command: the cgroups its launcher joins before
 * exec'ing it (so it never runs a guest instruction outside them), the uid it drops to, and a
 * mount namespace of its own in which the directory holding its machine directory shows that one
 * directory and nothing else (other sandboxes' files are not there to be named).
 *
 * @param uid          the uid and gid QEMU switches to after start-up ({@code -runas uid:gid})
 * @param cgroupProcs  the {@code cgroup.procs} files to write the launcher's pid into (empty: no cgroup)
 * @param machineDir   the machine's directory, the only one its parent shows
 */
public record QemuJail(int uid, List<Path> cgroupProcs, Path machineDir) {

    public QemuJail {
        cgroupProcs = List.copyOf(cgroupProcs);
        requireNonNull(machineDir, "machineDir");
        if (machineDir.getParent() == null) {
            throw new IllegalArgumentException("a machine directory has a parent: " + machineDir);
        }
    }

    /** {@code -runas}'s argument: QEMU 7.2 takes a numeric {@code uid:gid}, no account needed. */
    public String runAs() {
        return uid + ":" + uid;
    }

    /** Shell commands, each followed by {@code &&}, that move the running shell into the cgroups. */
    public String joinCgroups() {
        return cgroupProcs.stream()
                .map(procs -> "echo $$ > " + ShellWords.quote(procs.toString()) + " && ")
                .collect(Collectors.joining());
    }

    /**
     * {@code command} run in a mount namespace of its own where a small tmpfs covers the machine
     * directory's parent, with the machine directory bound back into it: the tmpfs is mounted on
     * {@code <dir>/.view} first and moved over the parent last, since once the parent is covered
     * the directory could no longer be named. {@code unshare} execs in place, so the pid stays QEMU's.
     * The namespace is a slave, not private: unmounts on the host still reach it, so a network
     * namespace deleted later (its {@code /run/netns} mount) is not kept alive by this copy.
     */
    public List<String> inMountNamespace(List<String> command) {
        String dir = ShellWords.quote(machineDir.toString());
        String view = ShellWords.quote(machineDir.resolve(".view").toString());
        String bound = ShellWords.quote(machineDir.resolve(".view").resolve(machineDir.getFileName()).toString());
        String script = "mkdir -p " + view
                + " && mount -t tmpfs -o mode=0711,size=64k amber-hidden " + view
                + " && mkdir " + bound
                + " && mount --bind " + dir + " " + bound
                + " && mount --move " + view + " " + ShellWords.quote(machineDir.getParent().toString())
                + " && exec \"$@\"";
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "slave", "sh", "-c", script,
                "sh"));
        argv.addAll(command);
        return argv;
    }
}
