package dev.amber.host;

import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * One runtime for the whole test JVM, over the guest image that `./amber setup` built and a data
 * directory of its own ({@link TestLayout}): its start-up sweep sees only what this JVM made, never
 * the sandboxes of a user's `./amber up`. Every sandbox a test forgets is destroyed when the JVM
 * exits, and the data directory with it.
 */
public final class TestRuntime {

    private static SandboxRuntime runtime;
    private static Layout layout;

    private TestRuntime() {}

    public static synchronized SandboxRuntime get() {
        if (runtime == null) {
            Path data = TestLayout.newDataDirectory();
            layout = TestLayout.withData(data);
            try {
                runtime = SandboxRuntime.start(layout, RuntimeOptions.defaults());
                warmUp(runtime);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SandboxRuntime started = runtime;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                try {
                    TestLayout.delete(data);
                } catch (IOException e) {
                    System.err.println("could not remove the test data directory " + data + ": " + e);
                }
            }));
        }
        return runtime;
    }

    /**
     * Boots one sandbox and waits for the base snapshot of the default size that its boot offers:
     * the data directory is new, and the tests should restore, as on a machine where Amber ran
     * before, rather than all boot cold at once.
     */
    private static void warmUp(SandboxRuntime runtime) throws IOException {
        Sandbox first = runtime.create(SandboxSpec.of(MachineResources.DEFAULT));
        runtime.destroy(first.id());
        await().atMost(Duration.ofMinutes(5)).until(() -> runtime.hasBaseSnapshot(MachineResources.DEFAULT));
    }

    /** The paths of the runtime's files. */
    public static synchronized Layout layout() {
        get();
        return layout;
    }

    /** A default-sized sandbox, running. */
    public static Sandbox boot() throws IOException {
        return get().create(SandboxSpec.of(MachineResources.DEFAULT));
    }
}
