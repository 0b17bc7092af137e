package dev.amber.guest.exec;

import dev.amber.guest.system.Pty;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.message.WindowSize;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the agent keeps track of after the stream that started it is gone: its output goes to
 * an {@link OutputLog} for whoever attaches, its input comes from whoever is attached, and how it
 * ended is kept. It runs either on pipes (stdout and stderr apart) or on a terminal of its own.
 */
final class TrackedProcess {

    /** After the process exits, how long output still held by its pipes or terminal may take to drain. */
    private static final long DRAIN_MILLIS = 500;
    private static final int TERMINAL_POLL_MILLIS = 200;
    /** Makes the terminal the controlling tty: a session leader (setsid) opening a tty without O_NOCTTY acquires it. */
    private static final String ON_TERMINAL = "exec 0<>\"$0\" 1>&0 2>&0; exec \"$@\"";

    private final long pid;
    private final Request.Start request;
    private final long startedMillis;
    private final Process process;
    private final Pty terminal;
    private final OutputStream stdin;
    private final OutputLog log = new OutputLog(OutputLog.DEFAULT_LIMIT);
    private final List<Thread> readers = new ArrayList<>();
    private volatile ExecExit exit;
    private volatile int lastSignal;
    private volatile boolean stopReading;
    /** Guarded by this: set once stdin is closed, or the terminal is (its fd number may be reused then). */
    private boolean stdinClosed;

    private TrackedProcess(Request.Start request, Process process, Pty terminal) {
        this.pid = process.pid();
        this.request = request;
        this.startedMillis = System.currentTimeMillis();
        this.process = process;
        this.terminal = terminal;
        this.stdin = terminal == null ? process.getOutputStream() : null;
    }

    /** Starts the process, and the threads that collect its output and wait for its end. */
    static TrackedProcess launch(ProcessLauncher launcher, Request.Start request) throws IOException {
        TrackedProcess tracked;
        if (request.terminal() == null) {
            tracked = new TrackedProcess(request,
                    launcher.prepare(request.argv(), request.env(), request.cwd(), request.user()).builder().start(), null);
            tracked.readers.add(tracked.pump(tracked.process.getInputStream(), Tags.STDOUT));
            tracked.readers.add(tracked.pump(tracked.process.getErrorStream(), Tags.STDERR));
        } else {
            Pty pty = Pty.open(request.terminal().rows(), request.terminal().cols());
            try {
                tracked = new TrackedProcess(request, startOnTerminal(launcher, request, pty), pty);
            } catch (IOException | RuntimeException e) {
                pty.close();
                throw e;
            }
            tracked.readers.add(Thread.ofPlatform().daemon().name("terminal-" + tracked.pid).start(tracked::readTerminal));
        }
        Thread.ofVirtual().name("wait-" + tracked.pid).start(tracked::awaitExit);
        return tracked;
    }

    private static Process startOnTerminal(ProcessLauncher launcher, Request.Start request, Pty pty) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", ON_TERMINAL, pty.slavePath()));
        argv.addAll(request.argv());
        Map<String, String> env = new HashMap<>(request.env());
        env.putIfAbsent("TERM", "xterm-256color");
        ProcessLauncher.Prepared prepared = launcher.prepare(argv, env, request.cwd(), request.user());
        Files.setAttribute(Path.of(pty.slavePath()), "unix:uid", prepared.account().uid());
        File nothing = new File("/dev/null");
        return prepared.builder().redirectInput(nothing).redirectOutput(nothing).redirectError(nothing).start();
    }

    long pid() {
        return pid;
    }

    boolean background() {
        return request.background();
    }

    OutputLog log() {
        return log;
    }

    boolean running() {
        return exit == null;
    }

    /** How it ended; null while it runs. */
    ExecExit exit() {
        return exit;
    }

    ProcessInfo info() {
        return new ProcessInfo(pid, request.argv(), request.tag(), terminal != null, request.background(), startedMillis, exit);
    }

    /** Input for the process; ignored once it has closed its input or ended. */
    synchronized void write(byte[] data) {
        if (stdinClosed) {
            return;
        }
        try {
            if (terminal != null) {
                terminal.write(data);
            } else {
                stdin.write(data);
                stdin.flush();
            }
        } catch (IOException e) {
            stdinClosed = true; // the process stopped reading
        }
    }

    /** End of input: the pipe is closed; on a terminal, end-of-file is typed (Ctrl-D). */
    synchronized void closeStdin() {
        if (terminal != null) {
            write(new byte[] {4});
        } else if (!stdinClosed) {
            stdinClosed = true;
            ExecHandler.closeQuietly(stdin);
        }
    }

    synchronized void resize(WindowSize size) throws IOException {
        if (terminal != null && !stdinClosed) {
            terminal.resize(size.rows(), size.cols());
        }
    }

    /** Sends {@code signal} to the process's group; false if it has no process left. */
    boolean signal(int signal) {
        lastSignal = signal;
        return ProcessGroups.signal(pid, signal);
    }

    void kill() {
        if (running()) {
            signal(ProcessGroups.SIGKILL);
        }
    }

    private Thread pump(InputStream from, int tag) {
        return Thread.ofVirtual().name("output-" + pid).start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (from) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    log.append(tag, buffer, 0, n);
                }
            } catch (IOException e) {
                // the pipe closed
            }
        });
    }

    private void readTerminal() {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while (!stopReading && (n = terminal.read(buffer, TERMINAL_POLL_MILLIS)) >= 0) {
                log.append(Tags.STDOUT, buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("amber-guest: terminal of " + pid + ": " + e.getMessage());
        }
    }

    private void awaitExit() {
        long started = System.nanoTime();
        boolean timedOut = false;
        try {
            if (request.timeoutMillis() > 0 && !process.waitFor(request.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                signal(ProcessGroups.SIGKILL);
            }
            int code = process.waitFor();
            for (Thread reader : readers) {
                reader.join(DRAIN_MILLIS);
            }
            stopReading = true; // what is left belongs to processes that outlived it
            if (terminal != null) {
                readers.getFirst().join(); // it polls, so it stops soon; then the terminal can close
            }
            int signal = lastSignal != 0 && code == 128 + lastSignal ? lastSignal : 0;
            exit = new ExecExit(code, signal, timedOut, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = new ExecExit(-1, 0, false, 0);
        } finally {
            log.finish(); // first: a write blocked below (a child holding the terminal, not reading) must not hold back the exit
            synchronized (this) {
                if (terminal != null) {
                    terminal.close();
                } else if (!stdinClosed) {
                    ExecHandler.closeQuietly(stdin);
                }
                stdinClosed = true;
            }
        }
    }
}
