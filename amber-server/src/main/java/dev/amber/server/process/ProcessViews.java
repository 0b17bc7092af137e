package dev.amber.server.process;

import dev.amber.api.sandbox.ProcessView;
import dev.amber.server.host.ProcessStream;

import java.time.Instant;

/** A tracked process as the API shows it. */
final class ProcessViews {

    private ProcessViews() {}

    static ProcessView of(ProcessStream.GuestProcess process) {
        ProcessStream.Exit exit = process.exit();
        return new ProcessView(process.pid(), process.argv(), process.tag(), process.terminal(), process.background(),
                exit == null ? "running" : "exited", Instant.ofEpochMilli(process.startedMillis()),
                exit == null ? null : exit.exitCode(), exit == null || exit.signal() == 0 ? null : exit.signal(),
                exit == null ? null : exit.timedOut());
    }
}
