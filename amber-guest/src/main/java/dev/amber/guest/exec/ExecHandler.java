package dev.amber.guest.exec;

import dev.amber.guest.GuestException;
import dev.amber.guest.Replies;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a process to completion, streaming its output as it is produced. Every process starts in
 * a session of its own (setsid), so a timeout or an abandoned stream kills its whole process
 * group, children included. Non-root users are entered with setpriv.
 */
public final class ExecHandler {

    private static final int SIGKILL = 9;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String SETSID = "/usr/bin/setsid";
    private static final String SETPRIV = "/usr/bin/setpriv";
    /** Where an imported image's init installs the injected busybox's applets. */
    private static final String INJECTED_SETSID = "/opt/amber/applets/setsid";
    /** After the process exits, how long output still held by its pipes may take to drain. */
    private static final long DRAIN_MILLIS = 500;

    private final Users users;

    public ExecHandler() {
        this(Path.of("/etc/passwd"));
    }

    ExecHandler(Path passwd) {
        this.users = new Users(passwd);
    }

    public void run(Stream stream, Request.Exec request) throws IOException, InterruptedException {
        Users.Account account = users.find(request.user() == null ? "0" : request.user());
        Path cwd = Path.of(request.cwd() == null ? account.home() : request.cwd());
        if (!Files.isDirectory(cwd)) {
            throw new GuestException(ErrorCode.NOT_FOUND, "working directory does not exist: " + cwd);
        }
        ProcessBuilder builder = new ProcessBuilder(command(account, request.argv())).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(account, request.env()));

        long started = System.nanoTime();
        Process process = builder.start();
        long group = process.pid(); // setsid made it the leader of its own group
        Thread stdout = pump(process.getInputStream(), stream, Tags.STDOUT);
        Thread stderr = pump(process.getErrorStream(), stream, Tags.STDERR);
        Thread stdin = Thread.ofVirtual().start(() -> feedStdin(stream, process, group));

        boolean timedOut = false;
        if (request.timeoutMillis() > 0) {
            if (!process.waitFor(request.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                killQuietly(group);
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
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Replies.ok(stream, new ExecExit(exitCode, timedOut ? SIGKILL : 0, timedOut, millis).encode());
    }

    /**
     * setsid, then (for another user than root) setpriv, from util-linux. An imported image that
     * lacks util-linux gets the busybox setsid Amber injected; busybox cannot change users, so such
     * an image runs commands as root only.
     */
    private static List<String> command(Users.Account account, List<String> argv) throws GuestException {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of(SETSID)) ? SETSID : INJECTED_SETSID);
        if (account.uid() != 0) {
            if (!Files.isExecutable(Path.of(SETPRIV))) {
                throw new GuestException(ErrorCode.INVALID_ARGUMENT, "this image has no " + SETPRIV
                        + " (util-linux): commands run as root only");
            }
            command.addAll(List.of(SETPRIV, "--reuid=" + account.uid(), "--regid=" + account.gid(),
                    "--init-groups", "--"));
        }
        command.addAll(argv);
        return command;
    }

    private static Map<String, String> environment(Users.Account account, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", account.home());
        env.put("USER", account.name());
        env.put("LOGNAME", account.name());
        env.put("SHELL", account.shell());
        env.put("LANG", "C.UTF-8");
        env.putAll(extra);
        return env;
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
            killQuietly(group);
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

    private static void closeQuietly(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed by the process
        }
    }

    /**
     * Kills the whole process group with the kill command: a spawn costs ~0.1 s under TCG, where
     * binding kill(2) through the foreign function API costs seconds on first use.
     */
    private static void killQuietly(long group) {
        try {
            Process kill = new ProcessBuilder("/bin/kill", "-KILL", "--", "-" + group)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("amber-guest: cannot kill process group " + group + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
