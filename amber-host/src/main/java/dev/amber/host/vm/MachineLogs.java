package dev.amber.host.vm;

import dev.amber.host.Layout;
import dev.amber.host.process.LogTail;

/** The last words of a machine's QEMU and guest console, to put in an error message. */
public final class MachineLogs {

    private MachineLogs() {}

    /** "; qemu: ...; console: ...", or empty when both logs are. */
    public static String describe(Layout.SandboxPaths paths) {
        String qemuSaid = LogTail.of(paths.qemuLog(), 3);
        String guestSaid = LogTail.of(paths.console(), 3);
        return (qemuSaid.isEmpty() ? "" : "; qemu: " + qemuSaid) + (guestSaid.isEmpty() ? "" : "; console: " + guestSaid);
    }
}
