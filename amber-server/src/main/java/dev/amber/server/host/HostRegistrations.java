package dev.amber.server.host;

import java.io.IOException;
import java.util.List;

/** Where the control plane records hosts that register (or re-register after a restart). */
public interface HostRegistrations {

    /**
     * Records host {@code name}, reachable for calls at {@code address} (host:port of its gRPC
     * service), with the sandboxes it has right now. Returns the host's id ({@code host-<uuid>}),
     * the same one every time the same name registers.
     */
    String register(String name, String address, HostClient.HostFacts facts, List<HostSandboxes.HostSandbox> sandboxes)
            throws IOException;
}
