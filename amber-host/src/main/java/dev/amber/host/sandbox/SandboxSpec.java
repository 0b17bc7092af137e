package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.vm.MachineResources;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** What to create: the sandbox's id (chosen by the control plane), its resources and egress policy. */
public record SandboxSpec(String id, MachineResources resources, NetworkPolicy network) {

    public SandboxSpec {
        requireNonNull(resources, "resources");
        requireNonNull(network, "network");
        if (!Layout.isValidSandboxId(id)) {
            throw new IllegalArgumentException("invalid sandbox id: " + id);
        }
    }

    public SandboxSpec(String id, MachineResources resources) {
        this(id, resources, NetworkPolicy.DEFAULT);
    }

    /** A spec with a fresh random id and the default network policy. */
    public static SandboxSpec of(MachineResources resources) {
        return new SandboxSpec("sb-" + UUID.randomUUID(), resources);
    }

    public SandboxSpec withNetwork(NetworkPolicy policy) {
        return new SandboxSpec(id, resources, policy);
    }
}
