package dev.amber.cli.up;

import sun.misc.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/** A role running in the foreground until a service manager or Ctrl-C stops it. */
public final class Foreground {

    private Foreground() {}

    /** One line a message on standard error, Amber's format. */
    public static void configureLogging() throws IOException {
        try (InputStream config = Foreground.class.getResourceAsStream("logging.properties")) {
            LogManager.getLogManager().readConfiguration(config);
        }
    }

    /**
     * Blocks until TERM, INT or HUP. Signals, not a shutdown hook: the shutdown of the JVM would
     * stop the embedded PostgreSQL (and logging) while the running sandboxes were still being paused.
     */
    public static void awaitStop() throws InterruptedException {
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(signal), received -> stopRequested.countDown());
        }
        stopRequested.await();
    }
}
