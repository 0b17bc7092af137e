package dev.amber.host.snapshot;

import dev.amber.api.network.Cidr;
import dev.amber.host.network.NetworkPolicy;
import dev.amber.host.network.SandboxNetwork;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The network component of a snapshot: the address and MAC its guest was configured with (a
 * restored guest keeps them), and the egress policy it ran with. A clone gets the policy its
 * creator asks for; the addressing must be this host's, or the guest could not reach its gateway.
 */
public record NetworkState(String guestAddress, String guestMac, boolean internet, List<String> allowOut,
                           List<String> denyOut) {

    public NetworkState {
        requireNonNull(guestAddress, "guestAddress");
        requireNonNull(guestMac, "guestMac");
        allowOut = List.copyOf(allowOut);
        denyOut = List.copyOf(denyOut);
    }

    static NetworkState of(SandboxNetwork network) {
        NetworkPolicy policy = network.policy();
        return new NetworkState(SandboxNetwork.GUEST_ADDRESS, SandboxNetwork.GUEST_MAC, policy.internet(),
                policy.allowOut().stream().map(Cidr::toString).toList(),
                policy.denyOut().stream().map(Cidr::toString).toList());
    }

    /** Refuses a snapshot whose guest expects addressing this host does not give. */
    void verifyRestorable(String snapshotId) throws SnapshotDamagedException {
        if (!guestAddress.equals(SandboxNetwork.GUEST_ADDRESS) || !guestMac.equals(SandboxNetwork.GUEST_MAC)) {
            throw new SnapshotDamagedException("snapshot " + snapshotId + " has a guest on " + guestAddress + " ("
                    + guestMac + "); this host gives guests " + SandboxNetwork.GUEST_ADDRESS + " ("
                    + SandboxNetwork.GUEST_MAC + "): make the snapshot again");
        }
    }
}
