package dev.amber.guest.system;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A pseudo-terminal: the master side, held by the agent, and the path of its slave, which becomes a
 * process's controlling terminal. Reads and writes block in native code, so they belong on
 * platform threads. Binding these calls costs seconds under TCG on first use, so the class loads
 * only when the first terminal is opened.
 */
public final class Pty implements AutoCloseable {

    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_CLOEXEC = 0x80000;
    private static final long TIOCSWINSZ = 0x5414L;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EIO = 5;
    private static final int READ_BYTES = 64 * 1024;

    private static final MethodHandle POSIX_OPENPT = NativeCalls.function("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GRANTPT = NativeCalls.function("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLOCKPT = NativeCalls.function("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTSNAME_R = NativeCalls.function("ptsname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = NativeCalls.function("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle POLL = NativeCalls.function("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = NativeCalls.function("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = NativeCalls.function("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int master;
    private final String slavePath;
    private final Arena readArena = Arena.ofShared();
    private final MemorySegment readBuffer = readArena.allocate(READ_BYTES);
    private final MemorySegment readState = readArena.allocate(NativeCalls.CALL_STATE);
    private final MemorySegment pollFd = readArena.allocate(8, 4);
    private boolean closed;

    private Pty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** A new terminal of {@code rows} x {@code cols}. */
    public static Pty open(int rows, int cols) throws NativeCalls.NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(NativeCalls.CALL_STATE);
            int master = (int) POSIX_OPENPT.invokeExact(state, O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (master < 0) {
                throw NativeCalls.failure("posix_openpt", state);
            }
            try {
                if ((int) GRANTPT.invokeExact(state, master) != 0) {
                    throw NativeCalls.failure("grantpt", state);
                }
                if ((int) UNLOCKPT.invokeExact(state, master) != 0) {
                    throw NativeCalls.failure("unlockpt", state);
                }
                MemorySegment name = arena.allocate(128);
                int error = (int) PTSNAME_R.invokeExact(state, master, name, 128L);
                if (error != 0) {
                    throw new NativeCalls.NativeException("ptsname_r failed with errno " + error, error);
                }
                Pty pty = new Pty(master, name.getString(0));
                pty.resize(rows, cols);
                return pty;
            } catch (NativeCalls.NativeException e) {
                int ignored = (int) CLOSE.invokeExact(state, master);
                throw e;
            }
        } catch (NativeCalls.NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeCalls.NativeException("opening a terminal failed: " + e, 0);
        }
    }

    /** The slave's path, e.g. /dev/pts/3. */
    public String slavePath() {
        return slavePath;
    }

    public void resize(int rows, int cols) throws NativeCalls.NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(NativeCalls.CALL_STATE);
            MemorySegment size = arena.allocate(8, 2);
            size.set(JAVA_SHORT, 0, (short) rows);
            size.set(JAVA_SHORT, 2, (short) cols);
            if ((int) IOCTL.invokeExact(state, master, TIOCSWINSZ, size) != 0) {
                throw NativeCalls.failure("ioctl(TIOCSWINSZ)", state);
            }
        } catch (NativeCalls.NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeCalls.NativeException("resizing the terminal failed: " + e, 0);
        }
    }

    /**
     * Reads what the terminal's processes wrote into {@code into}, waiting at most {@code waitMillis}:
     * the byte count, 0 when nothing came in time, -1 once every process has closed the terminal.
     * Only one thread may read.
     */
    public int read(byte[] into, int waitMillis) throws NativeCalls.NativeException {
        try {
            pollFd.set(JAVA_INT, 0, master);
            pollFd.set(JAVA_SHORT, 4, POLLIN);
            pollFd.set(JAVA_SHORT, 6, (short) 0);
            int ready = (int) POLL.invokeExact(readState, pollFd, 1L, waitMillis);
            if (ready == 0) {
                return 0;
            }
            long n = (long) READ.invokeExact(readState, master, readBuffer, (long) Math.min(into.length, READ_BYTES));
            if (n < 0) {
                NativeCalls.NativeException failure = NativeCalls.failure("read", readState);
                return switch (failure.errno()) {
                    case EIO -> -1; // the last process holding the slave has gone
                    case EINTR, EAGAIN -> 0;
                    default -> throw failure;
                };
            }
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(readBuffer, JAVA_BYTE, 0, into, 0, (int) n);
            return (int) n;
        } catch (NativeCalls.NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeCalls.NativeException("reading the terminal failed: " + e, 0);
        }
    }

    /** Types {@code data} into the terminal, as a keyboard would. */
    public void write(byte[] data) throws NativeCalls.NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(NativeCalls.CALL_STATE);
            MemorySegment bytes = arena.allocateFrom(JAVA_BYTE, data);
            long written = 0;
            while (written < data.length) {
                long n = (long) WRITE.invokeExact(state, master, bytes.asSlice(written), data.length - written);
                if (n < 0) {
                    NativeCalls.NativeException failure = NativeCalls.failure("write", state);
                    if (failure.errno() != EINTR) {
                        throw failure;
                    }
                } else {
                    written += n;
                }
            }
        } catch (NativeCalls.NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeCalls.NativeException("writing to the terminal failed: " + e, 0);
        }
    }

    /** Closes the master side. Call once no thread reads any more. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(NativeCalls.CALL_STATE), master);
        } catch (Throwable e) {
            System.err.println("amber-guest: closing terminal " + slavePath + " failed: " + e);
        }
        readArena.close();
    }
}
