package dev.amber.server.host;

import dev.amber.api.sandbox.NetworkSettings;

import java.util.List;

/** A host's VMs, one per sandbox: their lifecycle and what the host has. */
public interface HostSandboxes {

    /**
     * Boots a VM for sandbox {@code sandboxId} with its egress policy (from template image
     * {@code imageId}, or the guest image when null), or restores it from {@code snapshotId} with
     * the snapshot's resources; returns once its agent answers.
     */
    void create(String sandboxId, int vcpus, int memoryMb, long diskSizeMb, NetworkSettings network,
                String snapshotId, String imageId) throws HostException;

    /** Replaces a running sandbox's egress policy, effective at once. */
    void setNetworkPolicy(String sandboxId, NetworkSettings network) throws HostException;

    /** Stops the VM and deletes every file of it. Unknown ids are not an error. */
    void destroy(String sandboxId) throws HostException;

    /** Saves the sandbox's whole state on the host and frees its VM; it stays known as paused. */
    PauseOutcome pause(String sandboxId) throws HostException;

    /** Starts a paused sandbox from its saved state, every process intact, with this egress policy. */
    void resume(String sandboxId, NetworkSettings network) throws HostException;

    /**
     * Starts a paused sandbox this host does not have: its paused state {@code storedStateId} is
     * fetched from the object store first (it was paused on another host).
     */
    void resumeStored(String sandboxId, NetworkSettings network, String storedStateId) throws HostException;

    /** Copies a paused sandbox's saved machine to the object store; it stays paused. */
    StoredState store(String sandboxId) throws HostException;

    /** Every sandbox the host has, with its state as the host sees it. */
    List<HostSandbox> list() throws HostException;

    /** A sandbox as the host knows it. {@code state}: creating, running, stopping, stopped, crashed or paused. */
    record HostSandbox(String sandboxId, String state, String reason) {}

    /** A finished pause: how long it took and the bytes of state written. */
    record PauseOutcome(long durationMs, long stateBytes) {}
}
