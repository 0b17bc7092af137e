package dev.amber.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amber.host.Layout;
import dev.amber.host.TestLayout;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `./amber up`, then `./amber test`: a user's deployment (a real `./amber up` in its own process,
 * on a data directory standing for {@code ~/.amber}) with a running sandbox and a snapshot goes on
 * untouched while the tests do what they do: start a host runtime (its start-up sweeps leftovers and
 * the machine's stale networks), boot a sandbox in it and close it, and start and stop a deployment.
 */
class UserDeploymentUntouchedTest {

    private static final Path LEASES = Path.of("/run/amber-net");

    @TempDir
    Path userData;

    @Test
    void theTestsStartAndStopTheirOwnHostsWithoutTouchingTheUsersSandboxOrSnapshot() throws Exception {
        AmberUp user = AmberUp.start(userData);
        try {
            String key = user.adminKey();
            String id = user.curl(key, "POST", "/v1/sandboxes", "{\"timeoutSec\": 0}").path("id").asText();
            user.curl(key, "POST", "/v1/sandboxes/" + id + "/exec", "{\"shell\": \"echo mine > /root/user-file\"}");
            String snapshot = user.curl(key, "POST", "/v1/sandboxes/" + id + "/snapshots", "{\"name\": \"user-snapshot\"}")
                    .path("snapshotId").asText();
            Layout userLayout = TestLayout.withData(userData);
            UserState before = UserState.read(user, key, userLayout, id, snapshot);
            assertThat(before.qemu()).as("the user's sandbox runs").isPresent();
            assertThat(before.lease()).as("the user's sandbox holds a network lease").isPresent();

            runAHostRuntimeAsHostTestsDo();
            TestDeployment.start().close();

            UserState after = UserState.read(user, key, userLayout, id, snapshot);
            assertThat(after).isEqualTo(before);
            assertThat(user.curl(key, "POST", "/v1/sandboxes/" + id + "/exec", "{\"cmd\": [\"cat\", \"/root/user-file\"]}")
                    .path("stdout").asText()).isEqualTo("mine\n");
        } finally {
            user.cleanUp();
        }
    }

    /** What TestRuntime does: a runtime on a data directory of its own, a sandbox booted, all closed. */
    private static void runAHostRuntimeAsHostTestsDo() throws IOException {
        Path data = TestLayout.newDataDirectory();
        try (SandboxRuntime runtime = SandboxRuntime.start(TestLayout.withData(data), RuntimeOptions.defaults())) {
            Sandbox sandbox = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
            assertThat(runtime.list()).extracting(Sandbox::id).containsExactly(sandbox.id());
        } finally {
            TestLayout.delete(data);
        }
    }

    /**
     * What the user has: the sandbox and snapshot as the API reports them (their database rows; the
     * sandbox's activity times left out, as reading them is activity), the sandbox's QEMU, its network
     * lease, and the snapshot's files (the manifest whole, as it holds every artefact's SHA-256, and
     * every file's size and modification time).
     */
    private record UserState(JsonNode sandbox, JsonNode snapshot, Optional<Long> qemu, Optional<String> lease,
                             String manifest, Map<String, String> snapshotFiles) {

        static UserState read(AmberUp user, String key, Layout layout, String id, String snapshot) throws Exception {
            ObjectNode sandbox = (ObjectNode) user.curl(key, "GET", "/v1/sandboxes/" + id, null);
            sandbox.remove("lastActivityAt");
            sandbox.remove("updatedAt");
            Layout.SnapshotPaths files = layout.snapshot(snapshot);
            return new UserState(sandbox, user.curl(key, "GET", "/v1/snapshots/" + snapshot, null),
                    Processes.qemuOf(layout.sandbox(id).dir()), lease(SandboxNetwork.namespaceOf(id)),
                    Files.readString(files.manifest()), filesOf(files.dir()));
        }

        private static Optional<String> lease(String namespace) throws IOException {
            try (Stream<Path> leases = Files.list(LEASES)) {
                return leases.filter(file -> file.getFileName().toString().startsWith("slot-"))
                        .map(UserState::read).filter(lease -> lease.startsWith(namespace + " ")).findFirst();
            }
        }

        private static Map<String, String> filesOf(Path dir) throws IOException {
            Map<String, String> files = new TreeMap<>();
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path file : paths.filter(Files::isRegularFile).toList()) {
                    files.put(dir.relativize(file).toString(), Files.size(file) + " bytes, modified "
                            + Files.getLastModifiedTime(file));
                }
            }
            return files;
        }

        private static String read(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
