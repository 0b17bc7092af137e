package dev.amber.host;

import dev.amber.host.sandbox.RuntimeOptions;
import dev.amber.host.sandbox.Sandbox;
import dev.amber.host.sandbox.SandboxRuntime;
import dev.amber.host.sandbox.SandboxSpec;
import dev.amber.host.vm.MachineResources;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One runtime for the whole test JVM, over the guest image that `./amber setup` built. Every
 * sandbox a test forgets is destroyed when the JVM exits.
 */
public final class TestRuntime {

    private static SandboxRuntime runtime;

    private TestRuntime() {}

    public static synchronized SandboxRuntime get() {
        if (runtime == null) {
            try {
                runtime = SandboxRuntime.start(Layout.fromEnvironment(), RuntimeOptions.defaults());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(runtime::close));
        }
        return runtime;
    }

    /** A default-sized sandbox, running. */
    public static Sandbox boot() throws IOException {
        return get().create(SandboxSpec.of(MachineResources.DEFAULT));
    }
}
