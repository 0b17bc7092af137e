package dev.amber.host.network;

import dev.amber.host.TestRuntime;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.agent.ExecResult;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Egress through the host with a policy, and everything a sandbox must never reach. All traffic stays on this machine. */
class NetworkTest {

    private static final SandboxRuntime runtime = TestRuntime.get();
    private static OutsideHost outside;
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        outside = OutsideHost.start();
        sandbox = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.destroy(sandbox.id());
        outside.close();
    }

    private static ExecResult fetch(Sandbox from, String url) throws IOException {
        return from.agent().run(ExecCommand.of("curl", "-sS", "-m", "5", url), null);
    }

    @Test
    void egressFollowsThePolicyAndChangesTakeEffectWithoutRestart() throws Exception {
        assertThat(fetch(sandbox, outside.url()).stdoutText()).isEqualTo(OutsideHost.CONTENT);

        runtime.setNetworkPolicy(sandbox.id(), NetworkPolicy.OFFLINE);
        assertThat(fetch(sandbox, outside.url()).exitCode()).isNotZero();

        runtime.setNetworkPolicy(sandbox.id(), NetworkPolicy.of(true, List.of(), List.of(outside.address() + "/32")));
        assertThat(fetch(sandbox, outside.url()).exitCode()).isNotZero();

        runtime.setNetworkPolicy(sandbox.id(), NetworkPolicy.of(false, List.of(outside.address()), List.of()));
        assertThat(fetch(sandbox, outside.url()).stdoutText()).isEqualTo(OutsideHost.CONTENT);

        runtime.setNetworkPolicy(sandbox.id(), NetworkPolicy.DEFAULT);
        assertThat(fetch(sandbox, outside.url()).stdoutText()).isEqualTo(OutsideHost.CONTENT);
        assertThat(sandbox.network().policy()).isEqualTo(NetworkPolicy.DEFAULT);
    }

    @Test
    void egressWorksAfterAResumeAndInAClone() throws Exception {
        Sandbox resumed = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
        String snapshot = "snap-" + UUID.randomUUID();
        Sandbox clone = null;
        try {
            runtime.pause(resumed.id());
            runtime.resume(resumed.id(), NetworkPolicy.DEFAULT);
            assertThat(fetch(resumed, outside.url()).stdoutText()).isEqualTo(OutsideHost.CONTENT);

            runtime.snapshot(resumed.id(), snapshot);
            clone = runtime.create(new SandboxSpec("sb-" + UUID.randomUUID(), MachineResources.DEFAULT).fromSnapshot(snapshot));
            assertThat(fetch(clone, outside.url()).stdoutText()).isEqualTo(OutsideHost.CONTENT);
        } finally {
            if (clone != null) {
                runtime.destroy(clone.id());
            }
            runtime.destroy(resumed.id());
            runtime.deleteSnapshot(snapshot);
        }
    }

    @Test
    void aSandboxCreatedOfflineReachesNothing() throws Exception {
        Sandbox offline = runtime.create(SandboxSpec.of(MachineResources.DEFAULT).withNetwork(NetworkPolicy.OFFLINE));
        try {
            assertThat(fetch(offline, outside.url()).exitCode()).isNotZero();
            assertThat(offline.agent().run(ExecCommand.shell("ip -br link show eth0"), null).stdoutText()).contains("UP");
        } finally {
            runtime.destroy(offline.id());
        }
    }

    @Test
    void theHostsOwnServicesAndOtherSandboxesAreUnreachable() throws Exception {
        try (ServerSocket hostService = new ServerSocket()) {
            hostService.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = hostService.getLocalPort();
            List<String> hostAddresses = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress()) {
                        hostAddresses.add(address.getHostAddress());
                    }
                }
            }
            assertThat(hostAddresses).as("the host's side of the sandbox link is among them").isNotEmpty();
            for (String address : hostAddresses) {
                ExecResult attempt = sandbox.agent().run(ExecCommand.of("curl", "-sS", "-m", "3",
                        "http://" + address + ":" + port + "/"), null);
                assertThat(attempt.exitCode()).as("host service at %s:%d reachable", address, port).isNotZero();
            }
        }

        Sandbox other = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
        try {
            other.agent().run(ExecCommand.shell("nohup python3 -m http.server 8000 >/dev/null 2>&1 &"), null);
            String otherUplink = uplinkAddress(other);
            assertThat(fetch(sandbox, "http://" + otherUplink + ":8000/").exitCode()).isNotZero();
            assertThat(fetch(sandbox, "http://169.254.169.254/").exitCode()).isNotZero();
        } finally {
            runtime.destroy(other.id());
        }
    }

    @Test
    void networksOfDestroyedSandboxesLeaveNothingBehind() throws Exception {
        List<String> namespaces = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            List<Sandbox> pair = List.of(runtime.create(SandboxSpec.of(MachineResources.DEFAULT)),
                    runtime.create(SandboxSpec.of(MachineResources.DEFAULT)));
            for (Sandbox created : pair) {
                namespaces.add(created.network().namespace());
                runtime.destroy(created.id());
            }
        }

        assertThat(namespaces).hasSize(20).doesNotHaveDuplicates();
        List<String> remaining = Files.isDirectory(Path.of("/run/netns"))
                ? Files.list(Path.of("/run/netns")).map(path -> path.getFileName().toString()).toList() : List.of();
        assertThat(remaining).doesNotContainAnyElementsOf(namespaces);
        String links = run("ip", "-br", "link");
        for (String namespace : namespaces) {
            assertThat(links).doesNotContain("av" + namespace.substring("amber-".length(), "amber-".length() + 10));
        }
    }

    private static String uplinkAddress(Sandbox of) throws Exception {
        String line = run("ip", "-n", of.network().namespace(), "-4", "-o", "addr", "show", "uplink");
        return line.split("\\s+")[3].split("/")[0];
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
