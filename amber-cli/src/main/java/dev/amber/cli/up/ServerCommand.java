package dev.amber.cli.up;

import dev.amber.host.Layout;
import picocli.CommandLine.Command;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Callable;

/** `amber server`: the control plane alone; hosts on other machines join it with `amber host join`. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the control plane (API, database, reconciler) without a local host; hosts join it "
                + "with 'amber host join' (docs/hosts.md).")
public final class ServerCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Foreground.configureLogging();
        Optional<String> refusal = RootCheck.serverRefusal(RootCheck.runningAsRoot(), System.getenv());
        if (refusal.isPresent()) {
            System.err.println("amber: " + refusal.get());
            return 1;
        }
        Layout layout = Layout.fromEnvironment();
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(System.getenv());
        try (ControlPlane controlPlane = ControlPlane.start(layout, settings,
                new InetSocketAddress(settings.bindHost(), settings.registryPort()))) {
            System.out.printf("""
                    amber: server up at %s://%s:%d  (API docs: /docs); hosts join at port %d
                    amber: admin API key in %s
                    amber: add a host:  ./amber host token   then on the host:  ./amber host join --server <this address>:%d --token <token>
                    """, settings.transport().scheme(), settings.bindHost(), controlPlane.httpPort(),
                    controlPlane.linkPort(), layout.adminKey(), controlPlane.linkPort());
            Foreground.awaitStop();
            System.out.println("amber: stopping");
        }
        return 0;
    }
}
