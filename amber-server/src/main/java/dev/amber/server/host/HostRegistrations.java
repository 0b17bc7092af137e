package dev.amber.server.host;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/** Where the control plane records hosts that register (or re-register after a restart) and beat. */
public interface HostRegistrations {

    /**
     * Records that host {@code hostId} (as its certificate proves; {@code name} is what it calls itself)
     * is reachable for calls at {@code address} (host:port of its gRPC service), with the sandboxes it
     * has right now. Returns false, changing nothing, when the cluster has no such host.
     *
     * @throws RegistrationRefusedException the host may not register (it was removed)
     */
    boolean register(UUID hostId, String name, String address, HostClient.HostFacts facts,
                     List<HostSandboxes.HostSandbox> sandboxes) throws IOException;

    /**
     * Records a heartbeat of host {@code hostId}; false when this server does not know the host as
     * connected (never registered, forgotten by a restart, or marked unreachable): it must register again.
     */
    boolean heartbeat(UUID hostId, HostHeartbeat heartbeat);
}
