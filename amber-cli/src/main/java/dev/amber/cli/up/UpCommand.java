package dev.amber.cli.up;

import dev.amber.host.Layout;
import picocli.CommandLine.Command;
import sun.misc.Signal;

import java.io.InputStream;
import java.util.logging.LogManager;

import java.util.List;
import java.util.Optional;
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
        Optional<String> refusal = RootCheck.refusal(RootCheck.runningAsRoot(), System.getenv());
        if (refusal.isPresent()) {
            System.err.println("amber: " + refusal.get());
            return 1;
        }
        Layout layout = Layout.fromEnvironment();
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(System.getenv());
        LocalDeployment deployment = LocalDeployment.start(layout, settings);
        // Signals, not a shutdown hook: the shutdown of the JVM would stop the embedded PostgreSQL
        // (and logging) while the running sandboxes were still being paused.
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(signal), received -> stopRequested.countDown());
        }
        System.out.printf("""
                amber: up at %s://localhost:%d  (API docs: /docs)
                amber: accelerator %s (%s)
                amber: admin API key in %s
                amber: try  curl -s -X POST -H "X-API-Key: $(cat %s)" -d '{}' %s://localhost:%d/v1/sandboxes
                """, settings.transport().scheme(), deployment.httpPort(), deployment.runtime().accelerator().lowerName(),
                deployment.runtime().acceleratorReason(), layout.adminKey(), layout.adminKey(), settings.transport().scheme(),
                deployment.httpPort());
        stopRequested.await();
        System.out.println("amber: stopping (running sandboxes are paused first)");
        deployment.close();
        return 0;
    }
}
