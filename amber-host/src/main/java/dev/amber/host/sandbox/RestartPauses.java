package dev.amber.host.sandbox;

import dev.amber.api.network.Cidr;
import dev.amber.host.fs.JsonFiles;
import dev.amber.host.network.NetworkPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A host that stops on its own (a service manager's stop, a reboot), not at the control plane's
 * request: it pauses each running sandbox (memory, disk and devices saved, as a user's pause) and
 * marks it with the network policy it ran with; at the next start it resumes the marked ones before
 * it reports to the control plane, which therefore finds them running as it left them.
 */
public final class RestartPauses {

    private static final System.Logger LOG = System.getLogger("amber.runtime");
    private static final String MARKER = "resume-after-restart.json";

    /** The policy a marked sandbox is resumed with, as text. */
    record Marker(boolean internet, List<String> allowOut, List<String> denyOut) {

        static Marker of(NetworkPolicy policy) {
            return new Marker(policy.internet(), policy.allowOut().stream().map(Cidr::toString).toList(),
                    policy.denyOut().stream().map(Cidr::toString).toList());
        }

        NetworkPolicy policy() {
            return NetworkPolicy.of(internet, allowOut, denyOut);
        }
    }

    private final SandboxRuntime runtime;

    public RestartPauses(SandboxRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    /** Pauses and marks every running sandbox; one that cannot be paused is left to the runtime's close. */
    public int pauseRunning() {
        int paused = 0;
        for (Sandbox sandbox : runtime.list()) {
            if (sandbox.state() != SandboxState.RUNNING) {
                continue;
            }
            try {
                NetworkPolicy policy = sandbox.policy();
                runtime.pause(sandbox.id());
                JsonFiles.writeAtomically(marker(sandbox), Marker.of(policy));
                paused++;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not pause sandbox {0} before stopping: {1}", sandbox.id(),
                        e.getMessage());
            }
        }
        return paused;
    }

    /** Resumes the sandboxes {@link #pauseRunning} paused; one that fails stays paused, for a user's resume. */
    public int resumeMarked() {
        int resumed = 0;
        for (Sandbox sandbox : runtime.list()) {
            Path marker = marker(sandbox);
            if (sandbox.state() != SandboxState.PAUSED || !Files.exists(marker)) {
                continue;
            }
            try {
                runtime.resume(sandbox.id(), JsonFiles.read(marker, Marker.class).policy());
                resumed++;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not resume sandbox {0} paused by the last stop; it stays "
                        + "paused: {1}", sandbox.id(), e.getMessage());
            }
            deleteQuietly(marker);
        }
        return resumed;
    }

    private static Path marker(Sandbox sandbox) {
        return sandbox.paths().dir().resolve(MARKER);
    }

    private static void deleteQuietly(Path marker) {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete {0}: {1}", marker, e.getMessage());
        }
    }
}
