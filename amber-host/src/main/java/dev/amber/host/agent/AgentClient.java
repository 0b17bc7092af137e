package dev.amber.host.agent;

import dev.amber.protocol.frame.Frame;
import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.Count;
import dev.amber.protocol.message.ExecExit;
import dev.amber.protocol.message.Facts;
import dev.amber.protocol.message.FileInfo;
import dev.amber.protocol.message.ProcessInfo;
import dev.amber.protocol.message.ProtocolException;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;
import dev.amber.protocol.mux.StreamResetException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * What the host can ask of the guest agent: run processes, move files, keep the clock and
 * entropy right. Every wait is bounded: an unresponsive guest becomes an error, not a hang.
 */
public final class AgentClient {

    /** Longest silence tolerated on a file or control call. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * An agent from before heartbeats (a sandbox restored from an old snapshot) is silent while its
     * process is: an exec without a timeout of its own may then stay silent this long.
     */
    private static final Duration SILENT_AGENT_EXEC_LIMIT = Duration.ofHours(1);
    /** Extra time past an exec's own timeout for an agent without heartbeats to kill it and report. */
    private static final Duration SILENT_AGENT_EXEC_GRACE = Duration.ofSeconds(30);

    private final AgentChannel channel;
    private final Duration idleTimeout;

    public AgentClient(AgentChannel channel, Duration idleTimeout) {
        this.channel = requireNonNull(channel, "channel");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    }

    // ---- processes ----

    /** Runs to completion and collects the whole output. */
    public ExecResult run(ExecCommand command, byte[] stdin) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ExecExit exit = exec(command, idleTimeout, stdin == null ? null : new java.io.ByteArrayInputStream(stdin), stdout, stderr);
        return new ExecResult(exit.exitCode(), exit.timedOut(), exit.durationMillis(), stdout.toByteArray(), stderr.toByteArray());
    }

    /**
     * Runs to completion, streaming output into {@code stdout}/{@code stderr} as it is produced. The
     * agent beats a heartbeat while the process is quiet: silence past {@code deadline} means the
     * guest is lost, and the call fails then.
     */
    public ExecExit exec(ExecCommand command, Duration deadline, InputStream stdin, OutputStream stdout, OutputStream stderr)
            throws IOException {
        long timeoutMillis = command.timeout() == null ? 0 : command.timeout().toMillis();
        Duration idle = beatsHeartbeats() ? deadline
                : command.timeout() == null ? SILENT_AGENT_EXEC_LIMIT : command.timeout().plus(SILENT_AGENT_EXEC_GRACE);
        Stream stream = open(new Request.Exec(command.argv(), command.env(), command.cwd(), command.user(), timeoutMillis));
        Thread feeder = Thread.ofVirtual().start(() -> feed(stream, stdin));
        try {
            while (true) {
                Message message = receive(stream, idle);
                if (message == null) {
                    throw new ProtocolException("exec ended without an exit status");
                }
                switch (message.tag()) {
                    case Tags.STDOUT -> stdout.write(message.data());
                    case Tags.STDERR -> stderr.write(message.data());
                    case Tags.HEARTBEAT -> { } // alive, quiet
                    case Tags.REPLY -> {
                        return ExecExit.decode(message.data());
                    }
                    case Tags.ERROR -> throw new GuestOperationException(AgentError.decode(message.data()));
                    default -> throw new ProtocolException("unexpected tag " + message.tag() + " on exec");
                }
            }
        } finally {
            if (feeder.isAlive()) {
                stream.reset("exec finished");
            }
        }
    }

    /**
     * Starts a process the agent keeps track of and attaches to it; {@code deadline} bounds the
     * guest's silence (see {@link ProcessSession}).
     */
    public ProcessSession start(Request.Start request, Duration deadline) throws IOException {
        return session(request, deadline);
    }

    /** Attaches to a tracked process: its retained output is replayed first. */
    public ProcessSession attach(long pid, Duration deadline) throws IOException {
        return session(new Request.Attach(pid), deadline);
    }

    /** The processes the agent keeps track of. */
    public List<ProcessInfo> processes() throws IOException {
        return ProcessInfo.decodeList(call(new Request.ListProcesses()));
    }

    /** Signals a tracked process's group; returns the process as it was. */
    public ProcessInfo signal(long pid, int signal) throws IOException {
        return ProcessInfo.decode(call(new Request.Signal(pid, signal)));
    }

    private ProcessSession session(Request request, Duration deadline) throws IOException {
        Stream stream = channel.mux().open(request.encode());
        stream.setSendTimeout(deadline);
        try {
            return new ProcessSession(stream, ProcessInfo.decode(reply(stream, deadline)), deadline);
        } catch (IOException | RuntimeException e) {
            stream.reset("host gave up: " + e.getMessage());
            throw e;
        }
    }

    private static void feed(Stream stream, InputStream stdin) {
        try {
            if (stdin != null) {
                byte[] buffer = new byte[Frame.MAX_PAYLOAD];
                int n;
                while ((n = stdin.read(buffer)) >= 0) {
                    stream.send(Tags.STDIN, buffer, 0, n);
                }
            }
            stream.end();
        } catch (IOException e) {
            // the process finished or the stream was reset; the reader reports what matters
        }
    }

    // ---- files ----

    /**
     * Writes {@code data} to {@code path} (atomically replaced, parents created); returns the byte
     * count. If reading {@code data} fails, the guest is told to abort, so it discards the partial
     * file and the previous one stays as it was.
     */
    public long upload(String path, int mode, InputStream data) throws IOException {
        Stream stream = open(new Request.WriteFile(path, mode));
        try {
            byte[] buffer = new byte[Frame.MAX_PAYLOAD];
            int n;
            while ((n = read(stream, data, buffer)) >= 0) {
                stream.send(Tags.DATA, buffer, 0, n);
            }
            stream.end();
        } catch (StreamResetException e) {
            // the guest gave up early: its error message, already queued, says why
        }
        return Count.decode(reply(stream)).value();
    }

    private static int read(Stream stream, InputStream data, byte[] buffer) throws IOException {
        try {
            return data.read(buffer);
        } catch (IOException | RuntimeException e) {
            stream.reset("upload aborted by the host: " + e.getMessage());
            throw e;
        }
    }

    /** Streams {@code path} into {@code out}; returns what the file was when reading began. */
    public FileInfo download(String path, OutputStream out) throws IOException {
        return download(path, 0, 0, info -> { }, out);
    }

    /**
     * Streams {@code path} (from byte {@code offset}, {@code length} bytes; 0: to the end) into
     * {@code out}, handing its metadata to {@code onStart} before the first byte (a server sets
     * Content-Length from it); returns that metadata.
     */
    public FileInfo download(String path, long offset, long length, Consumer<FileInfo> onStart, OutputStream out)
            throws IOException {
        Stream stream = open(new Request.ReadFile(path, offset, length <= 0 ? -1 : length));
        FileInfo info = FileInfo.decode(reply(stream));
        onStart.accept(info);
        Message message;
        while ((message = receive(stream, idleTimeout)) != null) {
            switch (message.tag()) {
                case Tags.DATA -> out.write(message.data());
                case Tags.ERROR -> throw new GuestOperationException(AgentError.decode(message.data()));
                default -> throw new ProtocolException("unexpected tag " + message.tag() + " on download");
            }
        }
        return info;
    }

    public List<FileInfo> list(String path) throws IOException {
        return FileInfo.decodeList(call(new Request.ListDirectory(path)));
    }

    public FileInfo stat(String path) throws IOException {
        return FileInfo.decode(call(new Request.Stat(path)));
    }

    public FileInfo mkdir(String path, int mode) throws IOException {
        return FileInfo.decode(call(new Request.MakeDirectory(path, mode)));
    }

    /** Removes a file or empty directory, or a whole tree when {@code recursive}; returns entries removed. */
    public long remove(String path, boolean recursive) throws IOException {
        return Count.decode(call(new Request.Remove(path, recursive))).value();
    }

    public FileInfo move(String from, String to) throws IOException {
        return FileInfo.decode(call(new Request.Move(from, to)));
    }

    // ---- ports ----

    /**
     * A TCP connection to {@code port} on the guest's loopback, carried by the agent channel.
     * Fails with NOT_FOUND when nothing listens there.
     */
    public Tunnel connect(int port) throws IOException {
        Stream stream = open(new Request.Connect(port));
        reply(stream);
        return new Tunnel(stream);
    }

    /** Both directions of a tunnelled connection; closing the output half-closes it, close() aborts it. */
    public static final class Tunnel implements AutoCloseable {
        private final Stream stream;

        private Tunnel(Stream stream) {
            this.stream = stream;
        }

        public InputStream input() {
            return stream.inputStream();
        }

        public OutputStream output() {
            return stream.outputStream(Tags.DATA);
        }

        @Override
        public void close() {
            stream.reset("tunnel closed by the host");
        }
    }

    // ---- system ----

    public Facts health() throws IOException {
        return Facts.decode(call(new Request.Health()));
    }

    public void setClock(long epochMillis) throws IOException {
        call(new Request.SetClock(epochMillis));
    }

    public void reseed(byte[] entropy) throws IOException {
        call(new Request.Reseed(entropy));
    }

    public void setHostname(String hostname) throws IOException {
        call(new Request.SetHostname(hostname));
    }

    /** Sends raw bytes that are not a frame into the channel. For tests of the guest's resilience. */
    public void injectGarbage(byte[] bytes) throws IOException {
        channel.mux().writeGarbage(bytes);
    }

    // ---- plumbing ----

    /** Whether the agent sends heartbeats on process streams (it says so in its hello). */
    private boolean beatsHeartbeats() {
        return channel.guestInfo().containsKey("heartbeatMillis");
    }

    private Stream open(Request request) throws IOException {
        Stream stream = channel.mux().open(request.encode());
        stream.setSendTimeout(idleTimeout);
        return stream;
    }

    /** A request with no body: send it, wait for its reply. */
    private byte[] call(Request request) throws IOException {
        Stream stream = open(request);
        try {
            stream.end();
        } catch (StreamResetException e) {
            // the guest answered with an error and closed the stream before our end went out:
            // the error, already queued, says why
        }
        return reply(stream);
    }

    /** The first message: a reply, or the agent's error. */
    private byte[] reply(Stream stream) throws IOException {
        return reply(stream, idleTimeout);
    }

    private static byte[] reply(Stream stream, Duration deadline) throws IOException {
        Message message = receive(stream, deadline);
        if (message == null) {
            throw new ProtocolException("the agent closed the stream without a reply");
        }
        return switch (message.tag()) {
            case Tags.REPLY -> message.data();
            case Tags.ERROR -> throw new GuestOperationException(AgentError.decode(message.data()));
            default -> throw new ProtocolException("unexpected tag " + message.tag() + " before the reply");
        };
    }

    private static Message receive(Stream stream, Duration timeout) throws IOException {
        try {
            return stream.receive(timeout);
        } catch (TimeoutException e) {
            stream.reset("host gave up after " + timeout);
            throw new AgentTimeoutException("the guest agent sent nothing for " + timeout.toSeconds() + " s: the sandbox is unresponsive");
        }
    }

    /** The agent stayed silent past a deadline. */
    public static final class AgentTimeoutException extends IOException {
        public AgentTimeoutException(String message) {
            super(message);
        }
    }
}
