package dev.amber.guest.system;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Binding libc functions through the foreign function API, each capturing errno, and turning a
 * failed call into a {@link NativeException} with the kernel's reason.
 */
public final class NativeCalls {

    private static final Linker LINKER = Linker.nativeLinker();
    /** Where a call's errno is captured; allocate one per call from an arena. */
    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private NativeCalls() {}

    /** A handle to libc's {@code name} whose first argument is the call state segment. */
    public static MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** The failure of {@code call}, with the errno captured in {@code state}. */
    public static NativeException failure(String call, MemorySegment state) {
        int errno = (int) ERRNO.get(state, 0L);
        String text;
        try {
            text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable e) {
            text = "errno " + errno;
        }
        return new NativeException(call + ": " + text, errno);
    }

    /** A failed system call, with the kernel's reason. */
    public static final class NativeException extends java.io.IOException {
        private final int errno;

        public NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
