package dev.amber.guest.exec;

import dev.amber.protocol.message.Tags;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tracked process's output, kept so that a reader attaching later gets it replayed: stdout and
 * stderr in the order they were produced, each bounded to its most recent {@code limitPerStream}
 * bytes of memory (output in 16 KiB chunks keeps nearly that much output; a stream of one-byte
 * writes keeps less, its bookkeeping counted too). Readers never hold the process back: each keeps a {@link Cursor}, and one that falls
 * behind the bound is told how much was dropped.
 *
 * <p>Output arrives in small reads (a terminal echoes one key at a time), so consecutive reads of
 * one stream are joined into the newest chunk up to {@link #JOIN_LIMIT} bytes; a cursor's offset
 * within a chunk lets readers see that chunk grow.
 */
final class OutputLog {

    static final int DEFAULT_LIMIT = 1024 * 1024;
    private static final int JOIN_LIMIT = 16 * 1024;
    /** A chunk's smallest buffer, so that joining a few more small reads does not copy at once. */
    private static final int MIN_CAPACITY = 64;
    /** What a chunk costs beyond its buffer (object and array headers, deque slot), counted against the limit. */
    private static final int CHUNK_OVERHEAD = 64;

    /** Where a reader is: the newest chunk it has read from, and how many of its bytes. */
    record Cursor(long seq, int offset) {
        static final Cursor START = new Cursor(0, 0);
    }

    /** A run of one stream's bytes. */
    record Piece(int tag, byte[] data) {}

    /** What a reader gets: output dropped before it (per stream, total bytes so far), new pieces, and whether the log is finished. */
    record Batch(List<Piece> pieces, long droppedStdout, long droppedStderr, Cursor cursor, boolean finished) {
        boolean isEmpty() {
            return pieces.isEmpty() && droppedStdout == 0 && droppedStderr == 0;
        }
    }

    private static final class Chunk {
        final long seq;
        final int tag;
        byte[] data;
        int length;

        Chunk(long seq, int tag, byte[] data, int length) {
            this.seq = seq;
            this.tag = tag;
            this.data = data;
            this.length = length;
        }
    }

    /**
     * Per stream: its retained chunks, oldest first, and what was dropped. {@code memory} is what the
     * chunks occupy (buffers and overhead), so that output in many tiny writes cannot exceed the
     * bound by its bookkeeping.
     */
    private static final class Retained {
        final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
        long memory;
        long droppedBytes;
        long droppedThroughSeq;
        int droppedTailLength;

        /** Whether a reader at {@code cursor} has missed bytes this stream dropped. */
        boolean missed(Cursor cursor) {
            return droppedThroughSeq > cursor.seq()
                    || (droppedThroughSeq == cursor.seq() && droppedTailLength > cursor.offset() && droppedBytes > 0);
        }
    }

    private final int limitPerStream;
    private final Retained stdout = new Retained();
    private final Retained stderr = new Retained();
    private Chunk newest;
    private long nextSeq = 1;
    private boolean finished;

    OutputLog(int limitPerStream) {
        this.limitPerStream = limitPerStream;
    }

    /** Adds output; ignored once the log is finished (a child that outlived its process may still write). */
    synchronized void append(int tag, byte[] bytes, int offset, int length) {
        if (length == 0 || finished) {
            return;
        }
        Retained stream = retained(tag);
        if (newest != null && newest.tag == tag && newest.length + length <= JOIN_LIMIT) {
            if (newest.data.length < newest.length + length) {
                int capacity = Math.min(JOIN_LIMIT, Math.max(newest.length + length, newest.data.length * 2));
                stream.memory += capacity - newest.data.length;
                newest.data = Arrays.copyOf(newest.data, capacity);
            }
            System.arraycopy(bytes, offset, newest.data, newest.length, length);
            newest.length += length;
        } else {
            byte[] data = new byte[Math.max(length, MIN_CAPACITY)];
            System.arraycopy(bytes, offset, data, 0, length);
            newest = new Chunk(nextSeq++, tag, data, length);
            stream.chunks.addLast(newest);
            stream.memory += data.length + CHUNK_OVERHEAD;
        }
        while (stream.memory > limitPerStream && stream.chunks.size() > 1) {
            Chunk oldest = stream.chunks.removeFirst();
            stream.memory -= oldest.data.length + CHUNK_OVERHEAD;
            stream.droppedBytes += oldest.length;
            stream.droppedThroughSeq = oldest.seq;
            stream.droppedTailLength = oldest.length;
        }
        notifyAll();
    }

    /** No more output will come: readers get what is left, then see the log finished. */
    synchronized void finish() {
        finished = true;
        notifyAll();
    }

    /** Wakes readers waiting in {@link #next} so they can look at why they should stop. */
    synchronized void wakeReaders() {
        notifyAll();
    }

    /**
     * What a reader at {@code cursor} has not seen yet, waiting up to {@code waitMillis} for there to
     * be something. An empty, unfinished batch means the wait ran out.
     */
    synchronized Batch next(Cursor cursor, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!finished && !hasAfter(cursor)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        long droppedStdout = stdout.missed(cursor) ? stdout.droppedBytes : 0;
        long droppedStderr = stderr.missed(cursor) ? stderr.droppedBytes : 0;
        List<Piece> pieces = new ArrayList<>();
        Cursor at = cursor;
        for (Chunk chunk : unread(cursor)) {
            if (chunk.seq == at.seq() && chunk.length <= at.offset()) {
                continue;
            }
            int from = chunk.seq == at.seq() ? at.offset() : 0;
            pieces.add(new Piece(chunk.tag, Arrays.copyOfRange(chunk.data, from, chunk.length)));
            at = new Cursor(chunk.seq, chunk.length);
        }
        if (pieces.isEmpty() && (droppedStdout > 0 || droppedStderr > 0) && newest != null) {
            at = new Cursor(newest.seq, newest.length);
        }
        return new Batch(pieces, droppedStdout, droppedStderr, at, finished && pieces.isEmpty()
                && droppedStdout == 0 && droppedStderr == 0);
    }

    private boolean hasAfter(Cursor cursor) {
        return newest != null && (newest.seq > cursor.seq() || newest.length > cursor.offset());
    }

    /** Both streams' retained chunks from the cursor's on, merged by sequence. */
    private static List<Chunk> merge(List<Chunk> a, List<Chunk> b) {
        List<Chunk> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j == b.size() || (i < a.size() && a.get(i).seq < b.get(j).seq)) {
                merged.add(a.get(i++));
            } else {
                merged.add(b.get(j++));
            }
        }
        return merged;
    }

    private List<Chunk> unread(Cursor cursor) {
        return merge(suffix(stdout.chunks, cursor), suffix(stderr.chunks, cursor));
    }

    /** The chunks at or after the cursor's, oldest first: found from the newest end, so live reading stays cheap. */
    private static List<Chunk> suffix(ArrayDeque<Chunk> chunks, Cursor cursor) {
        List<Chunk> suffix = new ArrayList<>();
        var newestFirst = chunks.descendingIterator();
        while (newestFirst.hasNext()) {
            Chunk chunk = newestFirst.next();
            if (chunk.seq < cursor.seq()) {
                break;
            }
            suffix.add(chunk);
        }
        return suffix.reversed();
    }

    private Retained retained(int tag) {
        return switch (tag) {
            case Tags.STDOUT -> stdout;
            case Tags.STDERR -> stderr;
            default -> throw new IllegalArgumentException("output is stdout or stderr, not tag " + tag);
        };
    }
}
