package dev.amber.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Requests to the store run side by side, no more at once than a semaphore shared by the whole
 * process allows (so their buffers are bounded too); the first failure is the one reported, and
 * closing cancels whatever still runs.
 */
final class BoundedTasks implements AutoCloseable {

    /** One request; it may fail as I/O does. */
    @FunctionalInterface
    interface Task {
        void run() throws IOException;
    }

    private final Semaphore permits;
    private final String what;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> running = new ArrayList<>();

    /** {@code what} says in errors what the tasks were doing ("storing a saved state"). */
    BoundedTasks(Semaphore permits, String what) {
        this.permits = permits;
        this.what = what;
    }

    /** Starts {@code task} once a permit is free. */
    void submit(Task task) throws InterruptedIOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        }
        running.add(executor.submit(() -> {
            try {
                task.run();
                return null;
            } finally {
                permits.release();
            }
        }));
    }

    /** Waits for every task; the first failure is thrown. */
    void awaitAll() throws IOException {
        for (Future<?> task : running) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + what);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(what + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        running.forEach(task -> task.cancel(true));
        executor.close();
    }
}
