package dev.amber.host.sandbox;

import dev.amber.host.Layout;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.vm.MachineResources;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What to create: the sandbox's id (chosen by the control plane), its resources and egress policy,
 * and the snapshot to restore it from ({@code null}: boot), or the template image to boot
 * ({@code imageId}; {@code null}: the guest image's root disk). A sandbox restored from a snapshot
 * has the snapshot's resources, whatever {@code resources} says.
 */
public record SandboxSpec(String id, MachineResources resources, NetworkPolicy network, String snapshotId,
                          String imageId) {

    public SandboxSpec {
        requireNonNull(resources, "resources");
        requireNonNull(network, "network");
        if (!Layout.isValidSandboxId(id)) {
            throw new IllegalArgumentException("invalid sandbox id: " + id);
        }
        if (snapshotId != null && !Layout.isValidSnapshotId(snapshotId)) {
            throw new IllegalArgumentException("invalid snapshot id: " + snapshotId);
        }
        if (imageId != null && !Layout.isValidImageId(imageId)) {
            throw new IllegalArgumentException("invalid image id: " + imageId);
        }
        if (imageId != null && snapshotId != null) {
            throw new IllegalArgumentException("a sandbox boots an image or restores a snapshot, not both");
        }
    }

    public SandboxSpec(String id, MachineResources resources, NetworkPolicy network, String snapshotId) {
        this(id, resources, network, snapshotId, null);
    }

    public SandboxSpec(String id, MachineResources resources, NetworkPolicy network) {
        this(id, resources, network, null);
    }

    public SandboxSpec(String id, MachineResources resources) {
        this(id, resources, NetworkPolicy.DEFAULT);
    }

    /** A spec with a fresh random id and the default network policy. */
    public static SandboxSpec of(MachineResources resources) {
        return new SandboxSpec("sb-" + UUID.randomUUID(), resources);
    }

    public SandboxSpec withNetwork(NetworkPolicy policy) {
        return new SandboxSpec(id, resources, policy, snapshotId, imageId);
    }

    /** The same sandbox restored from {@code snapshot} instead of booted. */
    public SandboxSpec fromSnapshot(String snapshot) {
        return new SandboxSpec(id, resources, network, snapshot);
    }
}
