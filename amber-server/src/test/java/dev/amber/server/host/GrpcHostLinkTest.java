package dev.amber.server.host;

import dev.amber.api.host.HostPlatform;
import dev.amber.api.sandbox.NetworkSettings;

import dev.amber.host.RandomStream;

import dev.amber.host.TestLayout;
import dev.amber.host.grpc.HostAgentServer;
import dev.amber.host.grpc.HostRegistration;
import dev.amber.host.snapshot.ManifestRewrites;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.host.v1.HostJoinGrpc;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.server.Ids;
import dev.amber.server.cluster.ClusterAuthority;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostFiles.GuestFile;
import dev.amber.server.host.HostProcesses.ExecCall;
import dev.amber.server.host.HostProcesses.ExecOutcome;
import dev.amber.server.host.HostSandboxes.HostSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server-host link end to end: a real runtime with one real VM behind a {@link HostAgentServer},
 * driven through {@link GrpcHostClient} over mutual TLS; and a host registering with a {@link HostRegistryServer}.
 * The link's refusals (plaintext, foreign CAs, wrong names, join tokens) are in {@code cluster.HostJoinTest}
 * and {@code cluster.LinkTlsTest}, without a VM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcHostLinkTest {

    private static final UUID HOST_ID = UUID.randomUUID();

    private static Path data;
    private static LinkCredentials serverLink;
    private static LinkCredentials hostLink;
    private static SandboxRuntime runtime;
    private static HostAgentServer hostServer;
    private static String hostAddress;
    private static GrpcHostClient host;
    private static String sandboxId;

    @BeforeAll
    static void boot() throws Exception {
        data = TestLayout.newDataDirectory();
        runtime = SandboxRuntime.start(TestLayout.withData(data), RuntimeOptions.defaults());
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(data.resolve("cluster-ca"));
        serverLink = authority.serverCredentials();
        hostLink = authority.hostCredentials(Ids.HOST.format(HOST_ID));
        hostServer = HostAgentServer.start(new InetSocketAddress("127.0.0.1", 0), hostLink, runtime);
        hostAddress = "127.0.0.1:" + hostServer.port();
        host = GrpcHostClient.connect(hostAddress, serverLink, HOST_ID);
        sandboxId = "sb-" + UUID.randomUUID();
        host.sandboxes().create(sandboxId, 1, 256, 5120, NetworkSettings.DEFAULT, null, null);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (host != null) {
            host.close();
        }
        if (hostServer != null) {
            hostServer.close();
        }
        if (runtime != null) {
            runtime.close();
            assertThat(runtime.list()).isEmpty();
        }
        if (data != null) {
            TestLayout.delete(data);
        }
    }

    @Test
    void factsCountTheRunningSandbox() throws Exception {
        HostClient.HostFacts facts = host.facts();
        assertThat(facts.accelerator()).isIn("kvm", "tcg");
        assertThat(facts.acceleratorReason()).isNotBlank();
        assertThat(facts.runningSandboxes()).isEqualTo(1);
        assertThat(host.sandboxes().list()).containsExactly(new HostSandbox(sandboxId, "running", ""));
        assertThat(facts.platform()).hasValueSatisfying(reported -> {
            HostPlatform platform = reported.platform();
            assertThat(platform.machineType()).matches("pc-q35-\\d+\\.\\d+");
            assertThat(reported.machineTypes()).as("every versioned type its QEMU offers").contains(platform.machineType())
                    .doesNotContain("q35", "pc");
            assertThat(platform.accelerator()).isEqualTo(facts.accelerator());
            assertThat(platform.cpuModel()).isEqualTo(facts.accelerator().equals("kvm") ? "host" : "max");
            assertThat(platform.qemuVersion()).isNotBlank();
            assertThat(platform.kernel()).startsWith("linux-image-");
        });
    }

    @Test
    void aSnapshotOfAMachineTypeTheHostsQemuLacksIsIncompatibleAndStartsNothing() throws Exception {
        String snapshotId = "snap-" + UUID.randomUUID();
        host.snapshots().create(sandboxId, snapshotId);
        ManifestRewrites.rewrite(TestLayout.withData(data).snapshot(snapshotId),
                manifest -> ManifestRewrites.madeOnMachineType(manifest, "pc-q35-99.0"));
        String clone = "sb-" + UUID.randomUUID();

        assertThatThrownBy(() -> host.sandboxes().create(clone, 1, 256, 5120, NetworkSettings.DEFAULT, snapshotId, null))
                .isInstanceOfSatisfying(HostException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HostException.Kind.SNAPSHOT_INCOMPATIBLE);
                    assertThat(e.getMessage()).startsWith("snapshot " + snapshotId + " cannot be restored on this host: "
                            + "it needs machine type pc-q35-99.0, which this host's QEMU");
                });
        assertKind(() -> host.snapshots().restore(sandboxId, snapshotId), HostException.Kind.SNAPSHOT_INCOMPATIBLE);
        assertThat(host.sandboxes().list()).containsExactly(new HostSandbox(sandboxId, "running", ""));
    }

    @Test
    void execReturnsOutputAndExitCode() throws Exception {
        ExecOutcome python = host.processes().exec(sandboxId, command("python3", "-c", "print(6*7)"), 1024);
        assertThat(new String(python.stdout(), StandardCharsets.UTF_8)).isEqualTo("42\n");
        assertThat(python.exitCode()).isZero();
        assertThat(python.truncated()).isFalse();

        ExecOutcome failing = host.processes().exec(sandboxId, command("/bin/bash", "-c", "echo oops >&2; exit 3"), 1024);
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(new String(failing.stderr(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
    }

    @Test
    void execPassesStdinEnvironmentAndWorkingDirectory() throws Exception {
        ExecCall call = new ExecCall(List.of("/bin/bash", "-c", "cat; echo \" $GREETING $(pwd)\""), Map.of("GREETING", "hi"),
                "/tmp", null, "from stdin".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60), null);
        ExecOutcome outcome = host.processes().exec(sandboxId, call, 1024);
        assertThat(new String(outcome.stdout(), StandardCharsets.UTF_8)).isEqualTo("from stdin hi /tmp\n");
    }

    @Test
    void outputBeyondTheLimitIsDroppedAndFlagged() throws Exception {
        ExecOutcome outcome = host.processes().exec(sandboxId, command("/bin/bash", "-c", "head -c 300000 /dev/zero; echo done >&2"), 1000);
        assertThat(outcome.stdout()).hasSize(1000);
        assertThat(outcome.truncated()).isTrue();
        assertThat(outcome.exitCode()).isZero();
        assertThat(new String(outcome.stderr(), StandardCharsets.UTF_8)).isEqualTo("done\n");
    }

    @Test
    void execTimeoutIsReported() throws Exception {
        ExecCall call = new ExecCall(List.of("sleep", "30"), Map.of(), null, null, null, Duration.ofSeconds(1), null);
        ExecOutcome outcome = host.processes().exec(sandboxId, call, 1024);
        assertThat(outcome.timedOut()).isTrue();
    }

    @Test
    void twentyMegabytesGoInAndComeBackByteIdentical() throws Exception {
        long size = 20L * 1024 * 1024 + 12345;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long written = host.files().upload(sandboxId, "/root/link.bin", 0640, new RandomStream(size, 7, sent));
        assertThat(written).isEqualTo(size);

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        List<GuestFile> started = new ArrayList<>();
        host.files().download(sandboxId, "/root/link.bin", 0, 0, started::add,
                new DigestOutputStream(OutputStream.nullOutputStream(), received));
        assertThat(started).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo("link.bin");
            assertThat(file.type()).isEqualTo("file");
            assertThat(file.size()).isEqualTo(size);
            assertThat(file.mode()).isEqualTo(0640);
        });
        assertThat(received.digest()).isEqualTo(sent.digest());
    }

    @Test
    void directoriesCanBeMadeListedMovedAndRemoved() throws Exception {
        GuestFile dir = host.files().mkdir(sandboxId, "/srv/link/deep", 0750);
        assertThat(dir.type()).isEqualTo("directory");
        assertThat(dir.mode()).isEqualTo(0750);
        host.files().upload(sandboxId, "/srv/link/a.txt", 0644, text("alpha"));

        assertThat(host.files().list(sandboxId, "/srv/link")).extracting(GuestFile::name).containsExactly("a.txt", "deep");
        assertThat(host.files().stat(sandboxId, "/srv/link/a.txt").size()).isEqualTo(5);

        GuestFile moved = host.files().move(sandboxId, "/srv/link/a.txt", "/srv/link/deep/b.txt");
        assertThat(moved.name()).isEqualTo("b.txt");
        assertThat(download("/srv/link/deep/b.txt")).isEqualTo("alpha");

        assertThatThrownBy(() -> host.files().remove(sandboxId, "/srv/link", false))
                .isInstanceOfSatisfying(HostException.class, e -> assertThat(e.kind()).isEqualTo(HostException.Kind.CONFLICT));
        assertThat(host.files().remove(sandboxId, "/srv/link", true)).isEqualTo(3);
        assertThatThrownBy(() -> host.files().stat(sandboxId, "/srv/link")).isInstanceOfSatisfying(HostException.class,
                e -> assertThat(e.kind()).isEqualTo(HostException.Kind.NOT_FOUND));
    }

    @Test
    void missingPathsAreNotFound() {
        assertKind(() -> host.files().stat(sandboxId, "/no/such/file"), HostException.Kind.NOT_FOUND);
        assertKind(() -> host.files().download(sandboxId, "/no/such/file", 0, 0, file -> { }, OutputStream.nullOutputStream()),
                HostException.Kind.NOT_FOUND);
        assertKind(() -> host.files().list(sandboxId, "/no/such/dir"), HostException.Kind.NOT_FOUND);
    }

    @Test
    void badRequestsAreInvalid() {
        assertKind(() -> host.files().download(sandboxId, "/root", 0, 0, file -> { }, OutputStream.nullOutputStream()),
                HostException.Kind.INVALID);
        assertKind(() -> host.sandboxes().create("sb-" + UUID.randomUUID(), 0, 256, 5120, NetworkSettings.DEFAULT, null, null),
                HostException.Kind.INVALID);
        assertKind(() -> host.sandboxes().setNetworkPolicy(sandboxId, new NetworkSettings(true, List.of("not-a-cidr"), List.of(), true)),
                HostException.Kind.INVALID);
    }

    @Test
    void anExistingSandboxIdIsAConflict() {
        assertKind(() -> host.sandboxes().create(sandboxId, 1, 256, 5120, NetworkSettings.DEFAULT, null, null), HostException.Kind.CONFLICT);
    }

    @Test
    void unknownSandboxesAreNotFound() {
        String unknown = "sb-" + UUID.randomUUID();
        assertKind(() -> host.processes().exec(unknown, command("true"), 1024), HostException.Kind.NOT_FOUND);
        assertKind(() -> host.files().upload(unknown, "/root/x", 0644, text("x")), HostException.Kind.NOT_FOUND);
        assertKind(() -> host.files().stat(unknown, "/"), HostException.Kind.NOT_FOUND);
    }

    @Test
    void aServerOfAnotherClusterIsRefused() throws IOException {
        LinkCredentials foreign = ClusterAuthority.loadOrCreate(data.resolve("other-ca")).serverCredentials();
        try (GrpcHostClient intruder = GrpcHostClient.connect(hostAddress, foreign, HOST_ID)) {
            assertThatThrownBy(() -> intruder.sandboxes().list()).isInstanceOfSatisfying(HostException.class,
                    e -> assertThat(e.kind()).isEqualTo(HostException.Kind.UNAVAILABLE));
        }
    }

    @Test
    void aHostRegistersUnderTheIdItsCertificateNames() throws Exception {
        RecordedRegistrations registrations = new RecordedRegistrations();
        try (HostRegistryServer registry = HostRegistryServer.start(new InetSocketAddress("127.0.0.1", 0),
                serverLink, registrations, new HostJoinGrpc.HostJoinImplBase() { })) {
            String registryAddress = "127.0.0.1:" + registry.port();
            try (HostRegistration registration = HostRegistration.connect(registryAddress, hostLink)) {
                assertThat(registration.register("host-a", hostAddress, runtime)).isEqualTo(Ids.HOST.format(HOST_ID));
            }
            Registered recorded = registrations.byId.get(HOST_ID);
            assertThat(recorded.name()).isEqualTo("host-a");
            assertThat(recorded.address()).isEqualTo(hostAddress);
            assertThat(recorded.facts().runningSandboxes()).isEqualTo(1);
            assertThat(recorded.sandboxes()).containsExactly(new HostSandbox(sandboxId, "running", ""));
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void destroyLeavesNoSandboxAndMayBeRepeated() throws Exception {
        host.sandboxes().destroy(sandboxId);
        assertThat(host.sandboxes().list()).isEmpty();
        host.sandboxes().destroy(sandboxId);
        assertThat(host.facts().runningSandboxes()).isZero();
    }

    // ---- helpers ----

    private static ExecCall command(String... argv) {
        return new ExecCall(List.of(argv), Map.of(), null, null, null, Duration.ofSeconds(60), null);
    }

    private static InputStream text(String value) {
        return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String download(String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        host.files().download(sandboxId, path, 0, 0, file -> { }, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private interface HostCall {
        void run() throws Exception;
    }

    private static void assertKind(HostCall call, HostException.Kind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(HostException.class, e -> assertThat(e.kind())
                .as(e.getMessage()).isEqualTo(kind));
    }

    /** What one registration reported. */
    private record Registered(String name, String address, HostClient.HostFacts facts, List<HostSandbox> sandboxes) {}

    /** The test's own control plane: remembers hosts by id. */
    private static final class RecordedRegistrations implements HostRegistrations {
        final Map<UUID, Registered> byId = new ConcurrentHashMap<>();

        @Override
        public boolean register(UUID hostId, String name, String address, HostClient.HostFacts facts,
                                List<HostSandbox> sandboxes) {
            byId.put(hostId, new Registered(name, address, facts, sandboxes));
            return true;
        }

        @Override
        public boolean heartbeat(UUID hostId, HostHeartbeat heartbeat) {
            return byId.containsKey(hostId);
        }
    }
}
