package dev.amber.protocol.frame;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/**
 * Decodes frames from a byte stream and survives garbage: bytes that do not start a valid frame
 * (wrong magic, bad header checksum, unknown type) are skipped one at a time until a valid header
 * appears. A frame whose header is valid but whose payload is too large or corrupt is reported as
 * {@link Rejected}, so the owner of that stream can be told, while the connection goes on.
 */
public final class FrameReader {

    /** What one call to {@link #next()} produced. */
    public sealed interface Result permits Received, Rejected {}

    public record Received(Frame frame) implements Result {}

    /** A frame with a valid header that could not be accepted; {@code streamId} names the victim. */
    public record Rejected(int streamId, String reason) implements Result {}

    private static final int READ_BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] header = new byte[Frame.HEADER_BYTES];
    private long skippedBytes;

    public FrameReader(InputStream in) {
        // buffered: garbage is skipped a byte at a time, which must not cost a system call per byte
        this.in = new ChannelBuffer(requireNonNull(in, "in"));
    }

    /** Total garbage bytes skipped so far while looking for frame boundaries. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Blocks for the next frame; throws {@link EOFException} when the stream ends. */
    public Result next() throws IOException {
        readFully(header, 0, Frame.HEADER_BYTES);
        while (!validHeader()) {
            System.arraycopy(header, 1, header, 0, Frame.HEADER_BYTES - 1);
            readFully(header, Frame.HEADER_BYTES - 1, 1);
            skippedBytes++;
        }
        ByteBuffer view = ByteBuffer.wrap(header);
        FrameType type = FrameType.fromCode(view.get(4) & 0xFF);
        int tag = view.get(5) & 0xFF;
        int streamId = view.getInt(8);
        int length = view.getInt(12);
        if (length > Frame.MAX_PAYLOAD) {
            // The header checksum vouches for the length, so skipping it keeps us in sync.
            skipFully(length + (long) Frame.TRAILER_BYTES);
            return new Rejected(streamId, "frame of " + length + " bytes exceeds the limit of " + Frame.MAX_PAYLOAD);
        }
        byte[] payload = new byte[length];
        readFully(payload, 0, length);
        byte[] trailer = new byte[Frame.TRAILER_BYTES];
        readFully(trailer, 0, Frame.TRAILER_BYTES);
        if (ByteBuffer.wrap(trailer).getInt() != FrameWriter.checksum(payload, 0, length)) {
            return new Rejected(streamId, "frame payload checksum mismatch");
        }
        return new Received(new Frame(type, tag, streamId, payload));
    }

    private boolean validHeader() {
        ByteBuffer view = ByteBuffer.wrap(header);
        return view.getInt(0) == Frame.MAGIC
                && FrameType.fromCode(view.get(4) & 0xFF) != null
                && view.getInt(12) >= 0
                && view.getInt(16) == FrameWriter.checksum(header, 0, Frame.HEADER_BYTES - 4);
    }

    private void readFully(byte[] target, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(target, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("channel closed");
            }
            done += n;
        }
    }

    private void skipFully(long count) throws IOException {
        byte[] scratch = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new EOFException("channel closed");
            }
            left -= n;
        }
    }

    /**
     * Keeps what one read of the channel returned and hands it out, one channel read at a time.
     * {@code BufferedInputStream} asks the channel's {@code available()} between reads, which a
     * virtio-serial port does not answer (the ioctl fails): the guest agent's reader died on the
     * first frame that arrived in pieces (a large upload), and the host waited for credit.
     */
    private static final class ChannelBuffer extends InputStream {

        private final InputStream channel;
        private final byte[] buffer = new byte[READ_BUFFER];
        private int position;
        private int end;

        ChannelBuffer(InputStream channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            if (position == end && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == end && !fill()) {
                return -1;
            }
            int n = Math.min(length, end - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n = channel.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            end = n;
            return true;
        }
    }
}
