package dev.amber.host.grpc;

import dev.amber.host.machine.MachineLoad;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxState;
import dev.amber.host.vm.HostPlatform;
import dev.amber.proto.host.v1.FileInfo;
import dev.amber.proto.host.v1.GuestProcess;
import dev.amber.proto.host.v1.ProcessExit;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.proto.host.v1.FileType;
import dev.amber.proto.host.v1.HostFacts;
import dev.amber.proto.host.v1.MachinePlatform;
import dev.amber.proto.host.v1.SandboxStatus;

import dev.amber.proto.host.v1.StoreStateResponse;
import dev.amber.store.UploadReport;

import java.io.IOException;

/** The host's own types as the link's messages. */
final class ProtoConversions {

    private ProtoConversions() {}

    static HostFacts facts(SandboxRuntime runtime) throws IOException {
        int running = (int) runtime.list().stream().filter(sandbox -> sandbox.state() == SandboxState.RUNNING).count();
        MachineLoad.Reading load = runtime.load();
        HostPlatform platform = runtime.platform();
        return HostFacts.newBuilder()
                .setAccelerator(runtime.accelerator().lowerName())
                .setAcceleratorReason(runtime.acceleratorReason())
                .setRunningSandboxes(running)
                .setCpuCount(load.cpuCount())
                .setCpuPercent(load.cpuPercent())
                .setMemoryTotalBytes(load.memoryTotalBytes())
                .setMemoryAvailableBytes(load.memoryAvailableBytes())
                .setDiskTotalBytes(load.diskTotalBytes())
                .setDiskFreeBytes(load.diskFreeBytes())
                .setPlatform(MachinePlatform.newBuilder()
                        .setQemuVersion(platform.qemu().version())
                        .setMachineType(platform.machine().machineType())
                        .setCpuModel(platform.machine().cpuModel())
                        .setAccelerator(platform.machine().accelerator().lowerName())
                        .setKernel(platform.kernel())
                        .addAllMachineTypes(platform.qemu().machineTypes().stream().sorted().toList()))
                .build();
    }

    static GuestProcess process(ProcessInfo process) {
        GuestProcess.Builder built = GuestProcess.newBuilder()
                .setPid(process.pid())
                .addAllArgv(process.argv())
                .setTag(process.tag() == null ? "" : process.tag())
                .setTerminal(process.terminal())
                .setBackground(process.background())
                .setStartedMs(process.startedMillis());
        if (process.exit() != null) {
            built.setExit(exit(process.exit()));
        }
        return built.build();
    }

    static ProcessExit exit(ExecExit exit) {
        return ProcessExit.newBuilder().setExitCode(exit.exitCode()).setSignal(exit.signal())
                .setTimedOut(exit.timedOut()).setDurationMs(exit.durationMillis()).build();
    }

    static SandboxStatus status(Sandbox sandbox) {
        return SandboxStatus.newBuilder()
                .setSandboxId(sandbox.id())
                .setState(state(sandbox.state()))
                .setReason(sandbox.crashReason().orElse(""))
                .build();
    }

    static FileInfo file(dev.amber.protocol.message.FileInfo file) {
        return FileInfo.newBuilder()
                .setName(file.name())
                .setType(switch (file.type()) {
                    case FILE -> FileType.FILE_TYPE_FILE;
                    case DIRECTORY -> FileType.FILE_TYPE_DIRECTORY;
                    case SYMLINK -> FileType.FILE_TYPE_SYMLINK;
                    case OTHER -> FileType.FILE_TYPE_OTHER;
                })
                .setSize(file.size())
                .setMode(file.mode())
                .setModifiedMillis(file.modifiedMillis())
                .setOwner(file.owner())
                .build();
    }

    private static dev.amber.proto.host.v1.SandboxState state(SandboxState state) {
        return switch (state) {
            case CREATING -> dev.amber.proto.host.v1.SandboxState.SANDBOX_STATE_CREATING;
            case RUNNING -> dev.amber.proto.host.v1.SandboxState.SANDBOX_STATE_RUNNING;
            case STOPPING -> dev.amber.proto.host.v1.SandboxState.SANDBOX_STATE_STOPPING;
            case STOPPED -> dev.amber.proto.host.v1.SandboxState.SANDBOX_STATE_STOPPED;
            case CRASHED -> dev.amber.proto.host.v1.SandboxState.SANDBOX_STATE_CRASHED;
            case PAUSED -> dev.amber.proto.host.v1.SandboxState.SANDBOX_STATE_PAUSED;
        };
    }

    /** The policy a request carries; bad CIDRs become IllegalArgumentException (INVALID_ARGUMENT). */
    static NetworkPolicy policy(dev.amber.proto.host.v1.NetworkPolicy network) {
        return NetworkPolicy.of(network.getInternet(), network.getAllowOutList(), network.getDenyOutList());
    }

    /** Proto3 strings are never null: an empty one means "not given". */
    static StoreStateResponse stored(String storedId, UploadReport report) {
        return StoreStateResponse.newBuilder().setStoredId(storedId).setBytes(report.bytes())
                .setStoredBytes(report.storedBytes()).setUploadedBytes(report.uploadedBytes()).setChunks(report.chunks())
                .setNewChunks(report.newChunks()).setDurationMs(report.took().toMillis()).build();
    }

    static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
