package dev.amber.guest;

import java.util.Optional;

/** Looks at processes of this machine from a test. */
final class Processes {

    private Processes() {}

    /** Whether process {@code pid} is gone (or a zombie awaiting its reaper) within {@code millis}. */
    static boolean endsWithin(long pid, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
