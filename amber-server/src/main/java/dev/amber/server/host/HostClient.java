package dev.amber.server.host;

import dev.amber.api.host.HostLoad;
import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.api.sandbox.NetworkSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the control plane asks of one host. The server never touches a VM itself: every call here
 * goes to the host agent that owns the VM (in-process for `amber up`'s local host, gRPC otherwise).
 * Failures are {@link HostException}s whose {@link HostException.Kind} says how to report them.
 */
public interface HostClient extends AutoCloseable {

    /** Facts about the host: accelerator and why, capacity. */
    HostFacts facts() throws HostException;

    /**
     * Boots a VM for sandbox {@code sandboxId} with its egress policy (from template image
     * {@code imageId}, or the guest image when null), or restores it from {@code snapshotId} with
     * the snapshot's resources; returns once its agent answers.
     */
    void createSandbox(String sandboxId, int vcpus, int memoryMb, long diskSizeMb, NetworkSettings network,
                       String snapshotId, String imageId) throws HostException;

    /** Replaces a running sandbox's egress policy, effective at once. */
    void setNetworkPolicy(String sandboxId, NetworkSettings network) throws HostException;

    /** Stops the VM and deletes every file of it. Unknown ids are not an error. */
    void destroySandbox(String sandboxId) throws HostException;

    /** Saves the sandbox's whole state on the host and frees its VM; it stays known as paused. */
    PauseOutcome pause(String sandboxId) throws HostException;

    /** Starts a paused sandbox from its saved state, every process intact, with this egress policy. */
    void resume(String sandboxId, NetworkSettings network) throws HostException;

    /** Saves a running sandbox's machine state as {@code snapshotId} ("snap-…"); the sandbox keeps running. */
    SnapshotOutcome snapshot(String sandboxId, String snapshotId) throws HostException;

    /** Puts a running or paused sandbox back to a snapshot's state; it is running afterwards. */
    void restore(String sandboxId, String snapshotId) throws HostException;

    /** Deletes a snapshot's files. Unknown ids are not an error. */
    void deleteSnapshot(String snapshotId) throws HostException;

    /** Makes template image {@code imageId} ("img-…") of snapshot {@code snapshotId}'s disk; returns its bytes. */
    long flattenSnapshot(String snapshotId, String imageId) throws HostException;

    /** Makes template image {@code imageId} of the OCI archive {@code uri} on the host; returns its bytes. */
    long importImage(String uri, String imageId, long diskSizeMb) throws HostException;

    /** Deletes a template image's files. Unknown ids are not an error. */
    void deleteImage(String imageId) throws HostException;

    /** Every sandbox the host has, with its state as the host sees it. */
    List<HostSandbox> listSandboxes() throws HostException;

    /** Runs a process to completion; output beyond {@code maxOutputBytes} per stream is dropped and flagged. */
    ExecOutcome exec(String sandboxId, ExecCall call, int maxOutputBytes) throws HostException;

    /** Starts a process the guest agent keeps track of, attached ({@code terminal}: on a pseudo-terminal). */
    ProcessStream startProcess(String sandboxId, ProcessCall call) throws HostException;

    /** Attaches to a tracked process; its retained output comes first. */
    ProcessStream attachProcess(String sandboxId, long pid, Duration deadline) throws HostException;

    List<ProcessStream.GuestProcess> processes(String sandboxId) throws HostException;

    /** Signals a tracked process's group; NOT_FOUND when it is unknown or has exited. */
    ProcessStream.GuestProcess signalProcess(String sandboxId, long pid, int signal) throws HostException;

    /** Streams {@code data} into a file; returns the bytes written. */
    long upload(String sandboxId, String path, int mode, InputStream data) throws HostException;

    /** Streams a file into {@code out}; {@code onStart} gets its metadata before the first byte. */
    void download(String sandboxId, String path, long offset, long length, Consumer<GuestFile> onStart,
                  OutputStream out) throws HostException;

    List<GuestFile> listFiles(String sandboxId, String path) throws HostException;

    GuestFile stat(String sandboxId, String path) throws HostException;

    GuestFile mkdir(String sandboxId, String path, int mode) throws HostException;

    long remove(String sandboxId, String path, boolean recursive) throws HostException;

    GuestFile move(String sandboxId, String from, String to) throws HostException;

    /**
     * A TCP connection to {@code port} on the sandbox's loopback, through its guest agent; NOT_FOUND
     * when nothing listens there.
     */
    PortConnection openPort(String sandboxId, int port) throws HostException;

    /**
     * The sandbox's resource use over time as its host sampled it (while it ran; kept while it is
     * paused): the tier of {@code range} ("10m", "2h", "24h"), or every tier when null.
     */
    List<SandboxMetrics> metrics(String sandboxId, String range) throws HostException;

    @Override
    void close();

    /** Accelerator in use, the reason it was chosen, how many sandboxes run, and the machine's load. */
    record HostFacts(String accelerator, String acceleratorReason, int runningSandboxes, HostLoad load) {}

    /** A sandbox as the host knows it. {@code state}: creating, running, stopping, stopped, crashed or paused. */
    record HostSandbox(String sandboxId, String state, String reason) {}

    /** A finished pause: how long it took and the bytes of state written. */
    record PauseOutcome(long durationMs, long stateBytes) {}

    /**
     * A finished snapshot: how long the sandbox's vCPUs were stopped, the whole duration, the bytes
     * it occupies on the host, and the machine it restores to.
     */
    record SnapshotOutcome(long pauseWindowMs, long durationMs, long sizeBytes, int vcpus, int memoryMb,
                           long diskSizeMb) {}

    /**
     * A process to run: {@code timeout} null means none; {@code deadline} (null: the host's default) is
     * how long the guest may stay silent before the call fails.
     */
    record ExecCall(List<String> argv, Map<String, String> env, String cwd, String user, byte[] stdin, Duration timeout,
                    Duration deadline) {}

    /** A tracked process to start: {@code terminal} null runs it on pipes. */
    record ProcessCall(ExecCall exec, String tag, boolean background, TerminalSize terminal) {}

    record TerminalSize(int rows, int cols) {}

    record ExecOutcome(int exitCode, byte[] stdout, byte[] stderr, long durationMillis, boolean timedOut, boolean truncated) {}

    /** A file in a guest. {@code type}: file, directory, symlink, other. */
    record GuestFile(String name, String type, long size, int mode, long modifiedMillis, String owner) {}

    /**
     * Both directions of a connection into a sandbox. Closing {@link #output()} half-closes it (the
     * sandbox's server reads end-of-stream); {@link #close()} aborts whatever is still open.
     */
    interface PortConnection extends AutoCloseable {
        InputStream input();

        OutputStream output();

        @Override
        void close();
    }

    /** A failed host call, classified. */
    final class HostException extends IOException {

        /** How the failure maps to the API. */
        public enum Kind {
            /** No such path, no such sandbox on the host. */
            NOT_FOUND,
            /** The request was wrong for the guest: bad path, unknown user, not a directory... */
            INVALID,
            /** Exists already, directory not empty. */
            CONFLICT,
            /** The guest's disk is full. */
            NO_SPACE,
            /** The sandbox is not running on the host (crashed, stopped). */
            NOT_RUNNING,
            /** The guest or host did not answer in time. */
            TIMEOUT,
            /** The host could not do it (boot failed, host unreachable...). */
            UNAVAILABLE,
            /** A snapshot's files are missing or do not match their checksums; nothing was started from it. */
            SNAPSHOT_DAMAGED
        }

        private final Kind kind;

        public HostException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public HostException(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
