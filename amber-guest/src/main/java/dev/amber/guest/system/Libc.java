package dev.amber.guest.system;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few Linux calls the JDK does not offer, made through the foreign function API (no JNI, no
 * extra library in the guest): setting the clock and feeding the RNG. Binding them costs seconds
 * under TCG the first time, so nothing on a hot path of a cold-booted guest may depend on them.
 */
public final class Libc {

    private static final int CLOCK_REALTIME = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    /** _IOW('R', 0x03, int[2]): add entropy and credit it. */
    private static final long RNDADDENTROPY = 0x40085203L;
    /** _IO('R', 0x07): reseed the CRNG from the input pool now. */
    private static final long RNDRESEEDCRNG = 0x5207L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle CLOCK_SETTIME = function("clock_settime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle OPEN = function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IOCTL = function("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    /** Sets the wall clock. */
    public static void setRealtimeClock(long epochMillis) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment timespec = arena.allocate(16, 8);
            timespec.set(JAVA_LONG, 0, Math.floorDiv(epochMillis, 1000));
            timespec.set(JAVA_LONG, 8, Math.floorMod(epochMillis, 1000) * 1_000_000L);
            int result = (int) CLOCK_SETTIME.invokeExact(state, CLOCK_REALTIME, timespec);
            if (result != 0) {
                throw failure("clock_settime", (int) ERRNO.get(state, 0L));
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeException("clock_settime failed: " + e);
        }
    }

    /**
     * Credits {@code entropy} to the kernel's input pool and reseeds the CRNG at once, so that
     * clones restored from one snapshot stop sharing random state immediately, not within a minute.
     */
    public static void addEntropyAndReseed(byte[] entropy) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/urandom"), O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                throw failure("open(/dev/urandom)", (int) ERRNO.get(state, 0L));
            }
            try {
                int words = (entropy.length + 3) / 4;
                MemorySegment info = arena.allocate(8L + 4L * words, 4);
                info.set(JAVA_INT, 0, entropy.length * 8);
                info.set(JAVA_INT, 4, entropy.length);
                MemorySegment.copy(entropy, 0, info, ValueLayout.JAVA_BYTE, 8, entropy.length);
                if ((int) IOCTL.invokeExact(state, fd, RNDADDENTROPY, info) != 0) {
                    throw failure("ioctl(RNDADDENTROPY)", (int) ERRNO.get(state, 0L));
                }
                if ((int) IOCTL.invokeExact(state, fd, RNDRESEEDCRNG, MemorySegment.NULL) != 0) {
                    throw failure("ioctl(RNDRESEEDCRNG)", (int) ERRNO.get(state, 0L));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeException("reseed failed: " + e);
        }
    }

    private static NativeException failure(String call, int errno) {
        String text;
        try {
            text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable e) {
            text = "errno " + errno;
        }
        return new NativeException(call + ": " + text);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        boolean needsErrno = !name.equals("strerror");
        return needsErrno
                ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(symbol, descriptor);
    }

    /** A failed system call, with the kernel's reason. */
    public static final class NativeException extends Exception {
        public NativeException(String message) {
            super(message);
        }
    }
}
