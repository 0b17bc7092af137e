package dev.amber.bench;

import dev.amber.cli.up.LocalDeployment;
import dev.amber.host.Layout;
import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.QemuImg;
import dev.amber.host.network.HostNetwork;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;
import dev.amber.host.vm.MachineResources;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.Migration;
import dev.amber.host.vm.QemuCommandLine;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The raw baseline of a create from a snapshot: QEMU with the same machine, RAM mapped privately
 * from the snapshot, a fresh overlay and a network namespace prepared beforehand; timed from
 * QEMU's launch to the first exec's answer.
 */
final class RawRestore {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private final LocalDeployment deployment;
    private final HostNetwork hostNetwork;

    RawRestore(LocalDeployment deployment) throws java.io.IOException {
        this.deployment = deployment;
        this.hostNetwork = HostNetwork.start();
    }

    double millis(Layout.SnapshotPaths snapshot, MachineResources resources) throws Exception {
        String id = "sb-" + UUID.randomUUID();
        Layout.SandboxPaths paths = new Layout.SandboxPaths(Files.createTempDirectory(Path.of("/tmp"), "amber-raw"));
        QemuImg.createOverlay(snapshot.disk(), paths.disk(), resources.diskSizeMb());
        try (SandboxNetwork network = SandboxNetwork.create(hostNetwork, id, NetworkPolicy.OFFLINE)) {
            long started = System.nanoTime();
            QemuProcess qemu = QemuProcess.launch(QemuCommandLine.sandbox(deployment.runtime().platform().machine(),
                    deployment.runtime().image(), paths, resources, id, new MemoryBacking.PrivateCopy(snapshot.memory()),
                    QemuCommandLine.Nic.of(network), true, Optional.empty()), paths.qemuLog());
            try (QmpClient qmp = QmpClient.connect(paths.qmpSocket(), DEADLINE)) {
                Migration.load(qmp, paths.qmpFdSocket(), snapshot.deviceState(), true, qemu, DEADLINE);
                qmp.cont();
                try (AgentChannel channel = AgentChannel.connect(paths.agentSocket(), DEADLINE)) {
                    new AgentClient(channel, DEADLINE).run(ExecCommand.of("true"), null);
                }
                return Api.millisSince(started);
            } finally {
                qemu.stop(Duration.ofSeconds(1));
            }
        } finally {
            FileTrees.deleteTree(paths.dir());
        }
    }
}
