package dev.amber.server.host;

import dev.amber.api.host.HostLoad;

import java.util.Optional;

/**
 * What the control plane asks of one host, by concern. The server never touches a VM itself: every
 * call goes to the host agent that owns the VM (in-process for `amber up`'s local host, gRPC
 * otherwise). Failures are {@link HostException}s whose {@link HostException.Kind} says how to
 * report them. Closing the client closes every concern it handed out.
 */
public interface HostClient extends AutoCloseable {

    /** Facts about the host: accelerator and why, capacity. */
    HostFacts facts() throws HostException;

    /** The host's VMs: create, pause, resume, destroy, and what it has. */
    HostSandboxes sandboxes();

    /** Saved machine states and the template images made of them. */
    HostSnapshots snapshots();

    /** Processes in a sandbox, run to completion or attached. */
    HostProcesses processes();

    /** Files in a sandbox. */
    HostFiles files();

    /** Connections to ports inside a sandbox. */
    HostPorts ports();

    /** Resource use the host sampled of its sandboxes. */
    HostMetrics metrics();

    @Override
    void close();

    /**
     * Accelerator in use, the reason it was chosen, how many sandboxes run, the machine's load, and
     * what it runs machines on (empty: a host older than platforms).
     */
    record HostFacts(String accelerator, String acceleratorReason, int runningSandboxes, HostLoad load,
                     Optional<HostPlatformFacts> platform) {}
}
