package dev.amber.cli.up;

import dev.amber.host.Layout;
import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.SandboxRuntime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Everything `amber up` runs in one process: the control plane and one local host that registers
 * with it over the same mutual-TLS link a remote host uses, on loopback (its certificate comes
 * straight from the cluster CA: it needs no join token). Closing pauses the running sandboxes
 * through the control plane (so its database says so), then stops the host and the control plane.
 */
public final class LocalDeployment implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("amber.up");
    private static final String LOOPBACK = "127.0.0.1";
    private static final String LOCAL_HOST = "local";

    private final ControlPlane controlPlane;
    private final HostNode host;

    private LocalDeployment(ControlPlane controlPlane, HostNode host) {
        this.controlPlane = controlPlane;
        this.host = host;
    }

    public static LocalDeployment start(Layout layout, DeploymentSettings settings) throws IOException {
        requireNonNull(layout, "layout");
        requireNonNull(settings, "settings");
        ControlPlane controlPlane = ControlPlane.start(layout, settings,
                new InetSocketAddress(LOOPBACK, settings.registryPort()));
        try {
            HostNode host = HostNode.start(layout,
                    RuntimeOptions.defaults().withPrestartedMachines(settings.prestartedMachines()),
                    new HostNode.Endpoint(new InetSocketAddress(LOOPBACK, 0), LOOPBACK, LOCAL_HOST),
                    List.of(LOOPBACK + ":" + controlPlane.linkPort()), controlPlane.enrollLocalHost(LOCAL_HOST), settings.store());
            return new LocalDeployment(controlPlane, host);
        } catch (IOException | RuntimeException e) {
            controlPlane.close();
            throw e;
        }
    }

    public int httpPort() {
        return controlPlane.httpPort();
    }

    public SandboxRuntime runtime() {
        return host.runtime();
    }

    /**
     * Pauses the running sandboxes (after the next start, a resume brings every process back where it was),
     * then stops the host, the servers and the database.
     */
    @Override
    public void close() {
        int paused = controlPlane.server().pauseSandboxesOn(host.hostId());
        if (paused > 0) {
            LOG.log(System.Logger.Level.INFO, "paused " + paused + " running sandboxes; resume them after the next start");
        }
        host.close();
        controlPlane.close();
    }
}
