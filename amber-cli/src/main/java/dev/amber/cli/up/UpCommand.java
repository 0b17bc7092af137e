package dev.amber.cli.up;

import dev.amber.host.Layout;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.util.logging.LogManager;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** `amber up`: the whole platform on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the control plane, a local host and PostgreSQL in this process (Ctrl-C stops).")
public final class UpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        try (InputStream config = UpCommand.class.getResourceAsStream("logging.properties")) {
            LogManager.getLogManager().readConfiguration(config);
        }
        Layout layout = Layout.fromEnvironment();
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(System.getenv());
        LocalDeployment deployment = LocalDeployment.start(layout, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("amber: stopping (VMs of the local host are stopped)");
            deployment.close();
            stopped.countDown();
        }, "amber-shutdown"));
        System.out.printf("""
                amber: up at http://localhost:%d  (API docs: /docs)
                amber: accelerator %s (%s)
                amber: admin API key in %s
                amber: try  curl -s -X POST -H "X-API-Key: $(cat %s)" -d '{}' http://localhost:%d/v1/sandboxes
                """, deployment.httpPort(), deployment.runtime().accelerator().lowerName(),
                deployment.runtime().acceleratorReason(), layout.adminKey(), layout.adminKey(), deployment.httpPort());
        stopped.await();
        return 0;
    }
}
