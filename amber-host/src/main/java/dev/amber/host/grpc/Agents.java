package dev.amber.host.grpc;

import dev.amber.host.agent.AgentClient;
import dev.amber.host.sandbox.SandboxNotFoundException;
import dev.amber.host.sandbox.SandboxRuntime;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** Finds the guest agent of a running sandbox, or says why there is none. */
final class Agents {

    private final SandboxRuntime runtime;

    Agents(SandboxRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    /** @throws SandboxNotFoundException no such sandbox here; SandboxNotRunningException it is not running */
    AgentClient of(String sandboxId) throws IOException {
        return runtime.find(sandboxId)
                .orElseThrow(() -> new SandboxNotFoundException("no sandbox " + sandboxId + " on this host"))
                .agent();
    }
}
