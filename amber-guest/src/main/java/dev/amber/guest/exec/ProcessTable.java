package dev.amber.guest.exec;

import dev.amber.guest.GuestException;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.Request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes started through Amber that the agent keeps track of, by pid. It lives as long as
 * the agent, so it survives the host going away, a pause and a resume. Its memory is bounded: at
 * most {@link #MAX_RUNNING} running processes, and the {@link #KEEP_EXITED} most recent exited ones
 * (each with up to 1 MiB of output per stream).
 */
final class ProcessTable {

    static final int MAX_RUNNING = 16;
    static final int KEEP_EXITED = 4;

    private final ProcessLauncher launcher;
    private final Map<Long, TrackedProcess> processes = new LinkedHashMap<>();

    ProcessTable(ProcessLauncher launcher) {
        this.launcher = launcher;
    }

    synchronized TrackedProcess start(Request.Start request) throws IOException {
        forgetOldExited();
        long running = processes.values().stream().filter(TrackedProcess::running).count();
        if (running >= MAX_RUNNING) {
            throw new GuestException(ErrorCode.ALREADY_EXISTS, MAX_RUNNING + " processes started through Amber are"
                    + " running in this sandbox already: wait for one to end or signal it");
        }
        TrackedProcess process = TrackedProcess.launch(launcher, request);
        processes.put(process.pid(), process);
        return process;
    }

    synchronized TrackedProcess find(long pid) throws GuestException {
        TrackedProcess process = processes.get(pid);
        if (process == null) {
            throw new GuestException(ErrorCode.NOT_FOUND, "no process " + pid + " started through Amber"
                    + " (only the " + KEEP_EXITED + " most recent exited ones are kept)");
        }
        return process;
    }

    synchronized List<ProcessInfo> list() {
        forgetOldExited();
        return processes.values().stream().map(TrackedProcess::info).toList();
    }

    private void forgetOldExited() {
        List<Long> exited = new ArrayList<>();
        processes.values().stream().filter(process -> !process.running()).forEach(process -> exited.add(process.pid()));
        for (int i = 0; i < exited.size() - KEEP_EXITED; i++) {
            processes.remove(exited.get(i));
        }
    }
}
