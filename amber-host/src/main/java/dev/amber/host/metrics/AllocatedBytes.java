package dev.amber.host.metrics;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The bytes a file occupies on disk (allocated blocks, not its length: a sparse qcow2 overlay of a
 * 5 GiB disk occupies only what the guest wrote). The JDK exposes no block count, so this asks the
 * kernel with {@code statx}, whose layout is the same on every architecture.
 */
final class AllocatedBytes {

    private static final int AT_FDCWD = -100;
    private static final int STATX_BLOCKS = 0x400;
    /** {@code struct statx} is 256 bytes; {@code stx_blocks} (512-byte units) sits at offset 48. */
    private static final long STATX_SIZE = 256;
    private static final long STX_BLOCKS_OFFSET = 48;
    private static final long BLOCK_BYTES = 512;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STATX = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("statx"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
            Linker.Option.captureCallState("errno"));

    private AllocatedBytes() {
    }

    static long of(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
            int result = (int) STATX.invokeExact(state, AT_FDCWD, arena.allocateFrom(file.toString()), 0, STATX_BLOCKS,
                    buffer);
            if (result != 0) {
                throw new IOException("statx " + file + " failed: errno " + (int) ERRNO.get(state, 0L));
            }
            return buffer.get(JAVA_LONG, STX_BLOCKS_OFFSET) * BLOCK_BYTES;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("statx could not be called", e);
        }
    }
}
