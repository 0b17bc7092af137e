package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.vm.MachineResources;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** What to create: the sandbox's id (chosen by the control plane) and its resources. */
public record SandboxSpec(String id, MachineResources resources) {

    public SandboxSpec {
        requireNonNull(resources, "resources");
        if (!Layout.isValidSandboxId(id)) {
            throw new IllegalArgumentException("invalid sandbox id: " + id);
        }
    }

    /** A spec with a fresh random id. */
    public static SandboxSpec of(MachineResources resources) {
        return new SandboxSpec("sb-" + UUID.randomUUID(), resources);
    }
}
