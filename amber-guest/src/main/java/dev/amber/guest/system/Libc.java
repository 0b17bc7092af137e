package dev.amber.guest.system;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

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

    private static final MethodHandle CLOCK_SETTIME = NativeCalls.function("clock_settime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle OPEN = NativeCalls.function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IOCTL = NativeCalls.function("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {}

    /** Sets the wall clock. */
    public static void setRealtimeClock(long epochMillis) throws NativeCalls.NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(NativeCalls.CALL_STATE);
            MemorySegment timespec = arena.allocate(16, 8);
            timespec.set(JAVA_LONG, 0, Math.floorDiv(epochMillis, 1000));
            timespec.set(JAVA_LONG, 8, Math.floorMod(epochMillis, 1000) * 1_000_000L);
            int result = (int) CLOCK_SETTIME.invokeExact(state, CLOCK_REALTIME, timespec);
            if (result != 0) {
                throw NativeCalls.failure("clock_settime", state);
            }
        } catch (NativeCalls.NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeCalls.NativeException("clock_settime failed: " + e, 0);
        }
    }

    /**
     * Credits {@code entropy} to the kernel's input pool and reseeds the CRNG at once, so that
     * clones restored from one snapshot stop sharing random state immediately, not within a minute.
     */
    public static void addEntropyAndReseed(byte[] entropy) throws NativeCalls.NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(NativeCalls.CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/urandom"), O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                throw NativeCalls.failure("open(/dev/urandom)", state);
            }
            try {
                int words = (entropy.length + 3) / 4;
                MemorySegment info = arena.allocate(8L + 4L * words, 4);
                info.set(JAVA_INT, 0, entropy.length * 8);
                info.set(JAVA_INT, 4, entropy.length);
                MemorySegment.copy(entropy, 0, info, ValueLayout.JAVA_BYTE, 8, entropy.length);
                if ((int) IOCTL.invokeExact(state, fd, RNDADDENTROPY, info) != 0) {
                    throw NativeCalls.failure("ioctl(RNDADDENTROPY)", state);
                }
                if ((int) IOCTL.invokeExact(state, fd, RNDRESEEDCRNG, MemorySegment.NULL) != 0) {
                    throw NativeCalls.failure("ioctl(RNDRESEEDCRNG)", state);
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (NativeCalls.NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeCalls.NativeException("reseed failed: " + e, 0);
        }
    }
}
