package dev.amber.server.host;

import dev.amber.api.host.HostLoad;
import dev.amber.api.host.HostPlatform;
import dev.amber.api.sandbox.NetworkSettings;
import dev.amber.proto.host.v1.FileInfo;
import dev.amber.proto.host.v1.GuestProcess;
import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.HostFacts;
import dev.amber.proto.host.v1.MachinePlatform;
import dev.amber.proto.host.v1.ProcessExit;
import dev.amber.proto.host.v1.SandboxStatus;
import dev.amber.proto.host.v1.StoreStateResponse;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The link's messages as the control plane's own types. */
final class ProtoConversions {

    private ProtoConversions() {}

    static HostClient.HostFacts facts(HostFacts facts) {
        return new HostClient.HostFacts(facts.getAccelerator(), facts.getAcceleratorReason(), facts.getRunningSandboxes(),
                new HostLoad(facts.getCpuCount(), facts.getCpuPercent(), facts.getMemoryTotalBytes(),
                        facts.getMemoryAvailableBytes(), facts.getDiskTotalBytes(), facts.getDiskFreeBytes()),
                facts.hasPlatform() ? Optional.of(platform(facts.getPlatform())) : Optional.empty());
    }

    static HostHeartbeat heartbeat(HeartbeatRequest request, Instant receivedAt) {
        HostClient.HostFacts facts = facts(request.getFacts());
        return new HostHeartbeat(facts.load(), request.getSandboxCount(), request.getAgentVersion(),
                request.getBaseSizesList().stream().map(size -> new BaseSize(size.getVcpus(), size.getMemoryMb()))
                        .collect(Collectors.toSet()), facts.platform(), receivedAt);
    }

    private static HostPlatformFacts platform(MachinePlatform platform) {
        return new HostPlatformFacts(new HostPlatform(platform.getQemuVersion(), platform.getMachineType(),
                platform.getCpuModel(), platform.getAccelerator(), platform.getKernel()),
                Set.copyOf(platform.getMachineTypesList()));
    }

    static HostSandboxes.HostSandbox sandbox(SandboxStatus status) {
        String state = switch (status.getState()) {
            case SANDBOX_STATE_CREATING -> "creating";
            case SANDBOX_STATE_RUNNING -> "running";
            case SANDBOX_STATE_STOPPING -> "stopping";
            case SANDBOX_STATE_STOPPED -> "stopped";
            case SANDBOX_STATE_CRASHED -> "crashed";
            case SANDBOX_STATE_PAUSED -> "paused";
            // a newer host may know states this server does not
            case SANDBOX_STATE_UNSPECIFIED, UNRECOGNIZED -> "unknown";
        };
        return new HostSandboxes.HostSandbox(status.getSandboxId(), state, status.getReason());
    }

    static HostFiles.GuestFile file(FileInfo file) {
        String type = switch (file.getType()) {
            case FILE_TYPE_FILE -> "file";
            case FILE_TYPE_DIRECTORY -> "directory";
            case FILE_TYPE_SYMLINK -> "symlink";
            case FILE_TYPE_OTHER, FILE_TYPE_UNSPECIFIED, UNRECOGNIZED -> "other";
        };
        return new HostFiles.GuestFile(file.getName(), type, file.getSize(), file.getMode(), file.getModifiedMillis(),
                file.getOwner());
    }

    static dev.amber.proto.host.v1.NetworkPolicy policy(NetworkSettings network) {
        NetworkSettings settings = network.normalized();
        return dev.amber.proto.host.v1.NetworkPolicy.newBuilder().setInternet(settings.internet())
                .addAllAllowOut(settings.allowOut()).addAllDenyOut(settings.denyOut()).build();
    }

    static ProcessStream.GuestProcess process(GuestProcess process) {
        return new ProcessStream.GuestProcess(process.getPid(), process.getArgvList(),
                process.getTag().isEmpty() ? null : process.getTag(), process.getTerminal(), process.getBackground(),
                process.getStartedMs(), process.hasExit() ? exit(process.getExit()) : null);
    }

    static ProcessStream.Exit exit(ProcessExit exit) {
        return new ProcessStream.Exit(exit.getExitCode(), exit.getSignal(), exit.getTimedOut(), exit.getDurationMs());
    }

    static StoredState stored(StoreStateResponse reply) {
        return new StoredState(reply.getStoredId(), reply.getBytes(), reply.getStoredBytes(), reply.getUploadedBytes(),
                reply.getDurationMs());
    }
}
