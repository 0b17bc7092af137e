package dev.amber.protocol.message;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** What a stream is opened for: the payload of its OPEN frame. */
public sealed interface Request permits Request.Exec, Request.ReadFile, Request.WriteFile, Request.ListDirectory,
        Request.Stat, Request.MakeDirectory, Request.Remove, Request.Move, Request.Health, Request.SetClock, Request.Reseed, Request.SetHostname,
        Request.Connect, Request.Start, Request.Attach, Request.ListProcesses, Request.Signal {

    /**
     * Runs a process. {@code timeoutMillis} 0 means no limit; when it expires the whole process
     * group is killed. {@code user} null means root; {@code cwd} null means the user's home.
     */
    record Exec(List<String> argv, Map<String, String> env, String cwd, String user, long timeoutMillis)
            implements Request {
        public Exec {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must not be empty");
            }
        }
    }

    /** Streams a file's bytes from {@code offset}; {@code length} -1 means to the end. */
    record ReadFile(String path, long offset, long length) implements Request {}

    /** Replaces a file atomically with the bytes that follow, created with {@code mode}. */
    record WriteFile(String path, int mode) implements Request {}

    record ListDirectory(String path) implements Request {}

    record Stat(String path) implements Request {}

    /** Creates a directory and any missing parents; an existing directory is fine. */
    record MakeDirectory(String path, int mode) implements Request {}

    /** Removes a file or an empty directory, or a whole tree when {@code recursive}. */
    record Remove(String path, boolean recursive) implements Request {}

    record Move(String from, String to) implements Request {}

    record Health() implements Request {}

    /** Sets the guest's wall clock, e.g. after a restore from a snapshot taken in the past. */
    record SetClock(long epochMillis) implements Request {}

    /** Mixes host-provided entropy into the guest kernel's RNG and forces a reseed. */
    record Reseed(byte[] entropy) implements Request {}

    /** Renames the guest (kernel hostname and /etc/hostname): a clone is not its snapshot's source. */
    record SetHostname(String hostname) implements Request {}

    /**
     * Opens a TCP connection to {@code port} on the guest's loopback and carries its bytes both ways:
     * how a sandbox's ports are reached without any address of it being routable, offline ones too.
     */
    record Connect(int port) implements Request {
        public Connect {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, got " + port);
            }
        }
    }

    /**
     * Starts a process the agent keeps track of (see {@link ProcessInfo}), then attaches this stream
     * to it as {@link Attach} does. Without {@code background} the process is killed when this
     * stream ends; with it, the process runs on and can be attached again. {@code terminal} non-null
     * runs it on a new pseudo-terminal of that size (its controlling tty; stdout carries everything).
     */
    record Start(List<String> argv, Map<String, String> env, String cwd, String user, long timeoutMillis,
                 String tag, boolean background, WindowSize terminal) implements Request {
        public Start {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must not be empty");
            }
        }

        /** {@code argv} with the agent's default directory and user, no timeout, tag or terminal, in the foreground. */
        public static Start of(List<String> argv) {
            return new Start(argv, Map.of(), null, null, 0, null, false, null);
        }
    }

    /**
     * Attaches to a tracked process: the reply is its {@link ProcessInfo}, then the output it still
     * retains (from the start, or a {@link Tags#DROPPED} notice where the bound cut it), then its output
     * live, then {@link Tags#EXIT}. The host sends {@link Tags#STDIN} (an empty chunk closes stdin) and
     * {@link Tags#RESIZE}; the host ending the stream detaches.
     */
    record Attach(long pid) implements Request {}

    /** The processes the agent keeps track of: a list of {@link ProcessInfo}. */
    record ListProcesses() implements Request {}

    /** Sends {@code signal} to a tracked process's whole process group. */
    record Signal(long pid, int signal) implements Request {
        public Signal {
            if (signal < 1 || signal > 64) {
                throw new IllegalArgumentException("signal must be 1-64, got " + signal);
            }
        }
    }

    default byte[] encode() {
        return WireWriter.encode(out -> {
            switch (this) {
                case Exec e -> out.writeByte(1).writeStringList(e.argv()).writeStringMap(e.env())
                        .writeOptionalString(e.cwd()).writeOptionalString(e.user()).writeLong(e.timeoutMillis());
                case ReadFile r -> out.writeByte(2).writeString(r.path()).writeLong(r.offset()).writeLong(r.length());
                case WriteFile w -> out.writeByte(3).writeString(w.path()).writeInt(w.mode());
                case ListDirectory l -> out.writeByte(4).writeString(l.path());
                case Stat s -> out.writeByte(5).writeString(s.path());
                case MakeDirectory m -> out.writeByte(6).writeString(m.path()).writeInt(m.mode());
                case Remove r -> out.writeByte(7).writeString(r.path()).writeBoolean(r.recursive());
                case Move m -> out.writeByte(8).writeString(m.from()).writeString(m.to());
                case Health h -> out.writeByte(9);
                case SetClock c -> out.writeByte(10).writeLong(c.epochMillis());
                case Reseed r -> out.writeByte(11).writeBytes(r.entropy());
                case Connect c -> out.writeByte(12).writeInt(c.port());
                case SetHostname h -> out.writeByte(13).writeString(h.hostname());
                case Start s -> {
                    out.writeByte(14).writeStringList(s.argv()).writeStringMap(s.env()).writeOptionalString(s.cwd())
                            .writeOptionalString(s.user()).writeLong(s.timeoutMillis()).writeOptionalString(s.tag())
                            .writeBoolean(s.background()).writeBoolean(s.terminal() != null);
                    if (s.terminal() != null) {
                        s.terminal().write(out);
                    }
                }
                case Attach a -> out.writeByte(15).writeLong(a.pid());
                case ListProcesses l -> out.writeByte(16);
                case Signal s -> out.writeByte(17).writeLong(s.pid()).writeInt(s.signal());
            }
        });
    }

    static Request decode(byte[] bytes) throws IOException {
        WireReader in = new WireReader(bytes);
        int kind = in.readByte();
        try {
            return switch (kind) {
                case 1 -> new Exec(in.readStringList(), in.readStringMap(), in.readOptionalString(),
                        in.readOptionalString(), in.readLong());
                case 2 -> new ReadFile(in.readString(), in.readLong(), in.readLong());
                case 3 -> new WriteFile(in.readString(), in.readInt());
                case 4 -> new ListDirectory(in.readString());
                case 5 -> new Stat(in.readString());
                case 6 -> new MakeDirectory(in.readString(), in.readInt());
                case 7 -> new Remove(in.readString(), in.readBoolean());
                case 8 -> new Move(in.readString(), in.readString());
                case 9 -> new Health();
                case 10 -> new SetClock(in.readLong());
                case 11 -> new Reseed(in.readBytes());
                case 12 -> new Connect(in.readInt());
                case 13 -> new SetHostname(in.readString());
                case 14 -> new Start(in.readStringList(), in.readStringMap(), in.readOptionalString(),
                        in.readOptionalString(), in.readLong(), in.readOptionalString(), in.readBoolean(),
                        in.readBoolean() ? WindowSize.read(in) : null);
                case 15 -> new Attach(in.readLong());
                case 16 -> new ListProcesses();
                case 17 -> new Signal(in.readLong(), in.readInt());
                default -> throw new ProtocolException("unknown request kind " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid request: " + e.getMessage());
        }
    }
}
