package dev.amber.server.process;

import dev.amber.api.error.ApiException;
import dev.amber.api.sandbox.ExecRequest;
import dev.amber.api.sandbox.ProcessView;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostException;
import dev.amber.server.host.HostProcesses;
import dev.amber.server.host.ProcessStream;
import dev.amber.server.sandbox.ExecCalls;
import dev.amber.server.sandbox.SandboxService;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Processes that outlive a request: started on a stream or a terminal, listed, re-attached,
 * signalled. The guest agent keeps them; this checks the caller's access and the input.
 */
public final class ProcessService {

    /** What a terminal runs: a login shell, so the image's profile sets the prompt and PATH. */
    private static final List<String> TERMINAL_SHELL = List.of("/bin/bash", "-l");

    private final SandboxService sandboxes;

    public ProcessService(SandboxService sandboxes) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
    }

    public List<ProcessView> list(Caller caller, String sandboxId) throws HostException {
        return sandboxes.running(caller, sandboxId).processes().list(sandboxId).stream()
                .sorted(Comparator.comparingLong(ProcessStream.GuestProcess::startedMillis))
                .map(ProcessViews::of).toList();
    }

    public ProcessView signal(Caller caller, String sandboxId, String pid, String signal) throws HostException {
        int number = Signals.parse(signal);
        return ProcessViews.of(sandboxes.running(caller, sandboxId).processes().signal(sandboxId, pid(pid), number));
    }

    /** The sandbox's host, checked before a WebSocket is accepted. */
    public HostProcesses host(Caller caller, String sandboxId) {
        return sandboxes.running(caller, sandboxId).processes();
    }

    /** {@code socketDeadline}: the socket's deadline, for a request that names none (may be null). */
    public ProcessStream start(HostProcesses host, String sandboxId, ExecRequest request, Duration socketDeadline)
            throws HostException {
        return host.start(sandboxId, ExecCalls.forStream(request, socketDeadline));
    }

    /** A login shell on a new terminal of {@code rows} x {@code cols}. */
    public ProcessStream terminal(HostProcesses host, String sandboxId, Terminal terminal) throws HostException {
        HostProcesses.ExecCall shell = new HostProcesses.ExecCall(TERMINAL_SHELL, Map.of(), terminal.cwd(), terminal.user(), null,
                null, terminal.deadline());
        return host.start(sandboxId, new HostProcesses.ProcessCall(shell, terminal.tag(), terminal.background(),
                new HostProcesses.TerminalSize(terminal.rows(), terminal.cols())));
    }

    /** The pid of a process the sandbox keeps track of; 404 for any other. */
    public long trackedPid(HostProcesses host, String sandboxId, String pid) throws HostException {
        long number = pid(pid);
        if (host.list(sandboxId).stream().noneMatch(process -> process.pid() == number)) {
            throw ApiException.notFound("no process " + number + " started through Amber in sandbox " + sandboxId);
        }
        return number;
    }

    public ProcessStream attach(HostProcesses host, String sandboxId, long pid, Duration deadline) throws HostException {
        return host.attach(sandboxId, pid, deadline);
    }

    /** A terminal's settings, from the pty endpoint's query. */
    public record Terminal(int rows, int cols, String user, String cwd, String tag, boolean background, Duration deadline) {
        public Terminal {
            if (rows < 1 || rows > 1000 || cols < 1 || cols > 1000) {
                throw ApiException.badRequest("rows and cols must be between 1 and 1000");
            }
            if (cwd != null && !cwd.startsWith("/")) {
                throw ApiException.badRequest("cwd must be an absolute path");
            }
            ExecCalls.tag(tag);
        }
    }

    private static long pid(String text) {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("pid must be a positive number, got \"" + text + "\"");
    }
}
