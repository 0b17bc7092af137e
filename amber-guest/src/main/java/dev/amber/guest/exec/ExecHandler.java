package dev.amber.guest.exec;

import dev.amber.guest.Replies;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Runs a process to completion, streaming its output as it is produced, with a heartbeat while it
 * is quiet so the host can tell a silent process from a lost guest.
 */
public final class ExecHandler {

    /** After the process exits, how long output still held by its pipes may take to drain. */
    private static final long DRAIN_MILLIS = 500;

    private final ProcessLauncher launcher;

    public ExecHandler(ProcessLauncher launcher) {
        this.launcher = launcher;
    }

    public void run(Stream stream, Request.Exec request) throws IOException, InterruptedException {
        ProcessBuilder builder = launcher.prepare(request.argv(), request.env(), request.cwd(), request.user()).builder();
        long started = System.nanoTime();
        Process process = builder.start();
        long group = process.pid(); // setsid made it the leader of its own group
        Thread stdout = pump(process.getInputStream(), stream, Tags.STDOUT);
        Thread stderr = pump(process.getErrorStream(), stream, Tags.STDERR);
        Thread stdin = Thread.ofVirtual().start(() -> feedStdin(stream, process, group));
        Thread heartbeat = Heartbeat.start(stream);

        boolean timedOut = false;
        if (request.timeoutMillis() > 0) {
            if (!process.waitFor(request.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                ProcessGroups.kill(group);
            }
        }
        int exitCode = process.waitFor();
        stdout.join(DRAIN_MILLIS);
        stderr.join(DRAIN_MILLIS);
        stdin.interrupt();
        if (timedOut) {
            stdout.join(DRAIN_MILLIS);
            stderr.join(DRAIN_MILLIS);
        }
        heartbeat.interrupt();
        heartbeat.join();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Replies.ok(stream, new ExecExit(exitCode, timedOut ? ProcessGroups.SIGKILL : 0, timedOut, millis).encode());
    }

    private static Thread pump(InputStream from, Stream stream, int tag) {
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (from) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    stream.send(tag, buffer, 0, n);
                }
            } catch (IOException e) {
                // the process closed its output or the host went away; exit status still follows
            }
        });
    }

    /**
     * Copies the host's stdin bytes to the process. Input the process no longer reads is
     * discarded so the host never blocks; a reset stream means the host gave up, so the process
     * group is killed.
     */
    private static void feedStdin(Stream stream, Process process, long group) {
        OutputStream stdin = process.getOutputStream();
        boolean open = true;
        try {
            Message message;
            while ((message = stream.receive()) != null) {
                if (open && message.tag() == Tags.STDIN) {
                    open = writeOrClose(stdin, message.data());
                }
            }
        } catch (InterruptedIOException e) {
            // the process is done
        } catch (IOException e) {
            ProcessGroups.kill(group);
        } finally {
            closeQuietly(stdin);
        }
    }

    private static boolean writeOrClose(OutputStream stdin, byte[] data) {
        try {
            stdin.write(data);
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false; // the process closed its stdin
        }
    }

    static void closeQuietly(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed by the process
        }
    }
}
