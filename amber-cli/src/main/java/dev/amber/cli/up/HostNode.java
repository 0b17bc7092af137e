package dev.amber.cli.up;

import dev.amber.host.Layout;
import dev.amber.host.grpc.HostAgentServer;
import dev.amber.host.grpc.HostLink;
import dev.amber.host.grpc.HostLinks;
import dev.amber.host.grpc.HostReport;
import dev.amber.host.sandbox.RestartPauses;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.store.DurableStore;
import dev.amber.store.StoreSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A host: the sandbox runtime of this machine, the agent port the control plane calls, and its
 * links to that control plane, one per server replica (registered, then a heartbeat every 2 s,
 * registering again whenever that replica lost it). Sandboxes it paused when it last stopped run again before
 * it registers; stopping pauses the running ones (their memory is saved) for the next start.
 */
public final class HostNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.host");

    /**
     * Where this host's agent listens ({@code bind}), the address the control plane reaches it at
     * ({@code advertisedHost}: the agent's port is added), and its name there.
     */
    public record Endpoint(InetSocketAddress bind, String advertisedHost, String name) {
        public Endpoint {
            requireNonNull(bind, "bind");
            requireNonNull(advertisedHost, "advertisedHost");
            requireNonNull(name, "name");
        }
    }

    private final Resources opened;
    private final SandboxRuntime runtime;
    private final String hostId;

    private HostNode(Resources opened, SandboxRuntime runtime, String hostId) {
        this.opened = opened;
        this.runtime = runtime;
        this.hostId = hostId;
    }

    /**
     * Starts the runtime and the agent, and registers at the control plane's link ports {@code servers}
     * (one per server replica; at least one must answer now, the others are registered with when they
     * come up) as the host {@code identity} names; with {@code store}, snapshots and paused sandboxes are
     * copied to and fetched from that object store.
     */
    public static HostNode start(Layout layout, RuntimeOptions options, Endpoint endpoint, List<String> servers,
                                 LinkCredentials identity, Optional<StoreSettings> store) throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(endpoint, "endpoint");
        requireNonNull(identity, "identity");
        Resources opened = new Resources();
        try {
            SandboxRuntime runtime = opened.add(SandboxRuntime.start(layout, options));
            if (store.isPresent()) {
                runtime.keepStateIn(opened.add(DurableStore.open(store.get())), endpoint.name(), store.get().cacheBytes());
            }
            RestartPauses restarts = new RestartPauses(runtime);
            int resumed = restarts.resumeMarked();
            if (resumed > 0) {
                LOG.log(System.Logger.Level.INFO, "resumed " + resumed + " sandboxes paused when this host last stopped");
            }
            opened.add(() -> pauseRunning(restarts));
            HostAgentServer agent = opened.add(HostAgentServer.start(endpoint.bind(), identity, runtime));
            HostLinks links = opened.add(HostLinks.start(servers, identity, HostReport.of(runtime), endpoint.name(),
                    endpoint.advertisedHost() + ":" + agent.port(), HostLink.Timing.defaults()));
            return new HostNode(opened, runtime, links.hostId());
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static void pauseRunning(RestartPauses restarts) {
        int paused = restarts.pauseRunning();
        if (paused > 0) {
            LOG.log(System.Logger.Level.INFO, "paused " + paused + " running sandboxes; the next start resumes them");
        }
    }

    public SandboxRuntime runtime() {
        return runtime;
    }

    /** The id the control plane knows this host by ({@code host-<uuid>}). */
    public String hostId() {
        return hostId;
    }

    /** Pauses the running sandboxes, then stops the agent and the runtime. */
    @Override
    public void close() {
        opened.close();
    }
}
