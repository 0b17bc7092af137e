package dev.amber.server.host;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/** Where the control plane records hosts that register (or re-register after a restart) and hear from them. */
public interface HostRegistrations {

    /**
     * Records host {@code name}, reachable for calls at {@code address} (host:port of its gRPC
     * service), with the sandboxes it has right now. Returns the host's id ({@code host-<uuid>}),
     * the same one every time the same name registers.
     *
     * @throws RegistrationRefusedException the host may not register (e.g. it was removed)
     */
    String register(String name, String address, HostClient.HostFacts facts, List<HostSandboxes.HostSandbox> sandboxes)
            throws IOException;

    /**
     * Records a heartbeat of host {@code hostId}; false when this server does not know the host as
     * connected (never registered, forgotten by a restart, or marked unreachable): it must register again.
     */
    boolean heartbeat(UUID hostId, HostHeartbeat heartbeat);
}
