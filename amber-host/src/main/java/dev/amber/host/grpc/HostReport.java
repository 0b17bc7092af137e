package dev.amber.host.grpc;

import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.host.v1.BaseSize;
import dev.amber.proto.host.v1.HeartbeatRequest;
import dev.amber.proto.host.v1.RegisterRequest;

import java.io.IOException;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/** What this host tells the control plane about itself when it registers and in each heartbeat. */
public interface HostReport {

    /** Registration as {@code name}, reachable for calls at {@code address}, with what the host runs now. */
    RegisterRequest registration(String name, String address) throws IOException;

    /** A heartbeat: how the host is doing now (its certificate says which host it is). */
    HeartbeatRequest heartbeat() throws IOException;

    /** What {@code runtime} has and does, with this agent's version. */
    static HostReport of(SandboxRuntime runtime) {
        requireNonNull(runtime, "runtime");
        String version = Objects.requireNonNullElse(HostReport.class.getPackage().getImplementationVersion(), "");
        return new HostReport() {
            @Override
            public RegisterRequest registration(String name, String address) throws IOException {
                return RegisterRequest.newBuilder()
                        .setName(requireNonNull(name, "name"))
                        .setAddress(requireNonNull(address, "address"))
                        .setFacts(ProtoConversions.facts(runtime))
                        .addAllSandboxes(runtime.list().stream().map(ProtoConversions::status).toList())
                        .build();
            }

            @Override
            public HeartbeatRequest heartbeat() throws IOException {
                return HeartbeatRequest.newBuilder()
                        .setFacts(ProtoConversions.facts(runtime))
                        .setSandboxCount(runtime.list().size())
                        .setAgentVersion(version)
                        .addAllBaseSizes(runtime.baseSnapshotSizes().stream().map(size -> BaseSize.newBuilder()
                                .setVcpus(size.vcpus()).setMemoryMb(size.memoryMb()).build()).toList())
                        .build();
            }
        };
    }
}
