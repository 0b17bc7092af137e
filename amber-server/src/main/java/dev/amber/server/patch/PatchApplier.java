package dev.amber.server.patch;

import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.snapshot.PatchView;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostProcesses;
import dev.amber.server.sandbox.ExecCalls;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxWakeHook;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Applies a woken sandbox's pending patches: those of the snapshot it is based on, after the last
 * it applied, in order, each as root with {@code sh -c}. The first that fails is recorded on the
 * sandbox (which stays running and usable) and the rest wait: all are tried again on its next wake.
 */
final class PatchApplier implements SandboxWakeHook {

    private static final System.Logger LOG = System.getLogger("amber.patch");
    private static final int PATCH_TIMEOUT_SEC = 300;
    private static final int MAX_OUTPUT = 64 << 10;
    private static final int ERROR_CHARS = 500;

    private final PatchRepository patches;
    private final HostDirectory hosts;

    PatchApplier(PatchRepository patches, HostDirectory hosts) {
        this.patches = requireNonNull(patches, "patches");
        this.hosts = requireNonNull(hosts, "hosts");
    }

    @Override
    public void woke(SandboxRecord sandbox) {
        if (sandbox.basedOn() == null) {
            return;
        }
        int applied = sandbox.lastPatchSequence() == null ? 0 : sandbox.lastPatchSequence();
        for (PatchView patch : patches.after(sandbox.basedOn(), applied)) {
            String error = apply(sandbox, patch);
            if (error != null) {
                patches.failed(sandbox.id(), error);
                LOG.log(System.Logger.Level.WARNING, "sandbox {0}: {1}", sandbox.wireId(), error);
                return;
            }
            patches.applied(sandbox.id(), patch.sequence());
            LOG.log(System.Logger.Level.INFO, "sandbox {0}: patch {1} applied", sandbox.wireId(), patch.sequence());
        }
    }

    /** Null when the patch succeeded, else why it did not. */
    private String apply(SandboxRecord sandbox, PatchView patch) {
        try {
            HostProcesses.ExecOutcome outcome = hosts.require(sandbox.hostId()).processes().exec(sandbox.wireId(),
                    ExecCalls.forRun(new ExecRequest(null, patch.script(), null, null, null, null, PATCH_TIMEOUT_SEC, null, null, null)),
                    MAX_OUTPUT);
            if (outcome.timedOut()) {
                return "patch " + patch.sequence() + " timed out after " + PATCH_TIMEOUT_SEC + " s";
            }
            if (outcome.exitCode() != 0) {
                String stderr = new String(outcome.stderr(), StandardCharsets.UTF_8).strip();
                return "patch " + patch.sequence() + " exited with " + outcome.exitCode()
                        + (stderr.isEmpty() ? "" : ": " + tail(stderr));
            }
            return null;
        } catch (HostException | RuntimeException e) {
            return "patch " + patch.sequence() + " could not run: " + e.getMessage();
        }
    }

    private static String tail(String text) {
        return text.length() <= ERROR_CHARS ? text : "…" + text.substring(text.length() - ERROR_CHARS);
    }
}
