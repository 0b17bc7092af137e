package dev.amber.cli.up;

import dev.amber.host.Layout;
import picocli.CommandLine.Command;

import java.util.Optional;
import java.util.concurrent.Callable;

/** `amber up`: the whole platform on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the control plane, a local host and PostgreSQL in this process (Ctrl-C stops).")
public final class UpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Foreground.configureLogging();
        Optional<String> refusal = RootCheck.refusal(RootCheck.runningAsRoot(), System.getenv());
        if (refusal.isPresent()) {
            System.err.println("amber: " + refusal.get());
            return 1;
        }
        Layout layout = Layout.fromEnvironment();
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(System.getenv());
        LocalDeployment deployment = LocalDeployment.start(layout, settings);
        System.out.printf("""
                amber: up at %s://localhost:%d  (API docs: /docs)
                amber: accelerator %s (%s)
                amber: admin API key in %s
                amber: try  curl -s -X POST -H "X-API-Key: $(cat %s)" -d '{}' %s://localhost:%d/v1/sandboxes
                """, settings.transport().scheme(), deployment.httpPort(), deployment.runtime().accelerator().lowerName(),
                deployment.runtime().acceleratorReason(), layout.adminKey(), layout.adminKey(), settings.transport().scheme(),
                deployment.httpPort());
        Foreground.awaitStop();
        System.out.println("amber: stopping (running sandboxes are paused first)");
        deployment.close();
        return 0;
    }
}
