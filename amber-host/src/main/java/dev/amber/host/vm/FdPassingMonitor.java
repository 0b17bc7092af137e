package dev.amber.host.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A QMP connection that can hand QEMU open files (SCM_RIGHTS). QEMU runs as an unprivileged user
 * under seccomp and cannot open our files itself, so the host opens them (as root) and passes the
 * descriptors: the migration stream a save writes or a restore reads, the overlay a live snapshot
 * switches to. The JDK's unix sockets carry no descriptors, hence the few libc calls here.
 *
 * <p>Named descriptors ({@code getfd}) belong to the monitor connection that received them, so a
 * command using one ({@code migrate fd:NAME}) runs on this same connection. Each instance is one
 * short-lived connection to QEMU's second QMP socket; the main {@link QmpClient} stays on the first.
 * Every send and read has a deadline (socket timeouts), so a hung QEMU is an error, not a hang.
 */
public final class FdPassingMonitor implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0x40;
    private static final int O_TRUNC = 0x200;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;
    /** How long QEMU may take to answer one command on this connection. */
    private static final long DEADLINE_SECONDS = 10;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = function("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = function("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG = function("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = function("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = arena.allocate(CALL_STATE);
    private final MemorySegment buffer = arena.allocate(4096);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final int socket;

    private FdPassingMonitor(int socket) {
        this.socket = socket;
    }

    /** Connects to a QMP socket and leaves capabilities negotiation. */
    public static FdPassingMonitor connect(Path qmpSocket) throws IOException {
        FdPassingMonitor monitor = null;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment callState = scratch.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(callState, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            check(fd, "socket", callState);
            monitor = new FdPassingMonitor(fd);
            MemorySegment deadline = scratch.allocate(16, 8); // struct timeval
            deadline.set(JAVA_LONG, 0, DEADLINE_SECONDS);
            for (int option : new int[] {SO_RCVTIMEO, SO_SNDTIMEO}) {
                check((int) SETSOCKOPT.invokeExact(callState, fd, SOL_SOCKET, option, deadline, 16), "setsockopt", callState);
            }
            byte[] path = qmpSocket.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment address = scratch.allocate(110, 2);
            address.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(path, 0, address, JAVA_BYTE, 2, path.length);
            check((int) CONNECT.invokeExact(callState, fd, address, 2 + path.length + 1), "connect " + qmpSocket, callState);
            monitor.readReply(); // the greeting
            monitor.execute("qmp_capabilities", Map.of());
            return monitor;
        } catch (IOException e) {
            if (monitor != null) {
                monitor.close();
            }
            throw e;
        } catch (Throwable e) {
            if (monitor != null) {
                monitor.close();
            }
            throw new IOException("QMP connection to " + qmpSocket + " failed: " + e, e);
        }
    }

    /** Saves the machine to {@code file} (created or truncated): starts {@code migrate}; poll for its end. */
    public void migrateTo(Path file) throws IOException {
        passNamed(file, O_WRONLY | O_CREAT | O_TRUNC, "amber-out");
        execute("migrate", Map.of("uri", "fd:amber-out"));
    }

    /** Loads the machine from {@code file} into a QEMU started with {@code -incoming defer}; poll for its end. */
    public void migrateFrom(Path file) throws IOException {
        passNamed(file, O_RDONLY, "amber-in");
        execute("migrate-incoming", Map.of("uri", "fd:amber-in"));
    }

    /**
     * Adds {@code file} to a new fd set, opened read-write and read-only (QEMU picks by the access
     * mode it needs); returns the set's id, usable as {@code /dev/fdset/ID} in block options.
     */
    public int addFdSet(Path file) throws IOException {
        int fdSet = sendWithFile("add-fd", Map.of(), file, O_RDWR).path("fdset-id").asInt(-1);
        sendWithFile("add-fd", Map.of("fdset-id", fdSet), file, O_RDONLY);
        return fdSet;
    }

    private void passNamed(Path file, int flags, String name) throws IOException {
        sendWithFile("getfd", Map.of("fdname", name), file, flags);
    }

    private JsonNode sendWithFile(String command, Map<String, ?> arguments, Path file, int flags) throws IOException {
        int fd = open(file, flags);
        try {
            send(request(command, arguments), fd);
            return readReply();
        } finally {
            closeFd(fd);
        }
    }

    /** Runs a command on this connection and returns its "return" value. */
    private JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
        send(request(command, arguments), -1);
        return readReply();
    }

    private static byte[] request(String command, Map<String, ?> arguments) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        return (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One sendmsg with the whole command and, when {@code fd >= 0}, the descriptor attached. */
    private void send(byte[] message, int fd) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment data = call.allocate(message.length);
            MemorySegment.copy(message, 0, data, JAVA_BYTE, 0, message.length);
            MemorySegment iov = call.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, message.length);
            MemorySegment header = call.allocate(56, 8); // struct msghdr
            header.set(ADDRESS, 16, iov);
            header.set(JAVA_LONG, 24, 1);
            if (fd >= 0) {
                MemorySegment control = call.allocate(24, 8); // CMSG_SPACE(sizeof(int))
                control.set(JAVA_LONG, 0, 20); // CMSG_LEN(sizeof(int))
                control.set(JAVA_INT, 8, SOL_SOCKET);
                control.set(JAVA_INT, 12, SCM_RIGHTS);
                control.set(JAVA_INT, 16, fd);
                header.set(ADDRESS, 32, control);
                header.set(JAVA_LONG, 40, 24);
            }
            long sent = (long) SENDMSG.invokeExact(state, socket, header, 0);
            if (sent != message.length) {
                throw new IOException("QMP sendmsg sent " + sent + " of " + message.length + " bytes: " + errno());
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("QMP sendmsg failed: " + e, e);
        }
    }

    /** The next reply (skipping events); a QMP error becomes an exception with QEMU's words. */
    private JsonNode readReply() throws IOException {
        while (true) {
            JsonNode message = JSON.readTree(readLine());
            if (message.has("event")) {
                continue;
            }
            if (message.has("error")) {
                throw new IOException("QMP failed: " + message.path("error").path("desc").asText());
            }
            return message.has("return") ? message.path("return") : message;
        }
    }

    private String readLine() throws IOException {
        while (true) {
            byte[] soFar = pending.toByteArray();
            for (int i = 0; i < soFar.length; i++) {
                if (soFar[i] == '\n') {
                    pending.reset();
                    pending.write(soFar, i + 1, soFar.length - i - 1);
                    return new String(soFar, 0, i, StandardCharsets.UTF_8);
                }
            }
            long read;
            try {
                read = (long) READ.invokeExact(state, socket, buffer, buffer.byteSize());
            } catch (Throwable e) {
                throw new IOException("QMP read failed: " + e, e);
            }
            if (read < 0 && (int) ERRNO.get(state, 0L) == EINTR) {
                continue;
            }
            if (read <= 0) {
                throw new IOException(read == 0 ? "QMP connection closed"
                        : "QMP gave no answer within " + DEADLINE_SECONDS + " s (" + errno() + ")");
            }
            pending.write(buffer.asSlice(0, read).toArray(JAVA_BYTE));
        }
    }

    private int open(Path file, int flags) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(state, call.allocateFrom(file.toString()), flags | O_CLOEXEC, 0600);
            check(fd, "open " + file, state);
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("open " + file + " failed: " + e, e);
        }
    }

    private void closeFd(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable e) {
            // nothing sensible to do about a failed close
        }
    }

    private String errno() {
        return "errno " + (int) ERRNO.get(state, 0L);
    }

    private static void check(int result, String what, MemorySegment callState) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed: errno " + (int) ERRNO.get(callState, 0L));
        }
    }

    @Override
    public void close() {
        closeFd(socket);
        arena.close();
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }
}
