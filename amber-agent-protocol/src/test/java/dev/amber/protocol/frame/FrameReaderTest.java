package dev.amber.protocol.frame;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameReaderTest {

    @Test
    void framesSurroundedByGarbageAreStillDecoded() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes);
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        writer.writeRaw(garbage);
        writer.write(new Frame(FrameType.DATA, 1, 3, "first".getBytes(StandardCharsets.UTF_8)));
        writer.writeRaw(ByteBuffer.allocate(4).putInt(Frame.MAGIC).array()); // a magic with nothing valid after it
        writer.writeRaw(garbage);
        writer.write(new Frame(FrameType.END, 0, 3, new byte[0]));

        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));

        Frame first = ((FrameReader.Received) reader.next()).frame();
        assertThat(first.type()).isEqualTo(FrameType.DATA);
        assertThat(first.tag()).isEqualTo(1);
        assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(((FrameReader.Received) reader.next()).frame().type()).isEqualTo(FrameType.END);
        assertThat(reader.skippedBytes()).isEqualTo(2 * garbage.length + 4);
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
    }

    @Test
    void oversizedFrameIsRejectedForItsStreamAndTheNextFrameStillArrives() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int length = Frame.MAX_PAYLOAD + 1;
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES)
                .putInt(Frame.MAGIC).put((byte) FrameType.DATA.code()).put((byte) 0).putShort((short) 0)
                .putInt(9).putInt(length);
        header.putInt(FrameWriter.checksum(header.array(), 0, Frame.HEADER_BYTES - 4));
        bytes.write(header.array());
        bytes.write(new byte[length + Frame.TRAILER_BYTES]);
        new FrameWriter(bytes).write(new Frame(FrameType.DATA, 0, 5, new byte[] {42}));

        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(reader.next()).isEqualTo(new FrameReader.Rejected(9,
                "frame of " + length + " bytes exceeds the limit of " + Frame.MAX_PAYLOAD));
        Frame next = ((FrameReader.Received) reader.next()).frame();
        assertThat(next.streamId()).isEqualTo(5);
        assertThat(next.payload()).containsExactly(42);
    }

    @Test
    void corruptPayloadIsRejectedNotDelivered() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new FrameWriter(bytes).write(new Frame(FrameType.DATA, 0, 7, new byte[] {1, 2, 3}));
        byte[] wire = bytes.toByteArray();
        wire[Frame.HEADER_BYTES + 1] ^= 0x40;

        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));

        assertThat(reader.next()).isEqualTo(new FrameReader.Rejected(7, "frame payload checksum mismatch"));
    }

    /**
     * A virtio-serial port cannot say how much it holds ({@code available()} fails there), and a
     * large frame arrives in several reads: the reader must not ask it. (A buffered stream that did
     * made the guest agent's reader fail on the first large upload.)
     */
    @Test
    void aFrameArrivingInPiecesIsReadWithoutAskingTheChannelWhatIsAvailable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new FrameWriter(bytes).write(new Frame(FrameType.DATA, 1, 5, new byte[60_000]));
        byte[] frame = bytes.toByteArray();
        java.util.Queue<byte[]> pieces = new java.util.ArrayDeque<>(java.util.List.of(
                java.util.Arrays.copyOfRange(frame, 0, 30_000), java.util.Arrays.copyOfRange(frame, 30_000, frame.length)));
        java.io.InputStream channel = new java.io.InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                byte[] piece = pieces.poll();
                if (piece == null) {
                    return -1;
                }
                System.arraycopy(piece, 0, target, offset, piece.length); // each piece fits a 64 KiB read
                return piece.length;
            }

            @Override
            public int available() throws java.io.IOException {
                throw new java.io.IOException("Inappropriate ioctl for device");
            }
        };

        FrameReader.Result result = new FrameReader(channel).next();

        assertThat(((FrameReader.Received) result).frame().payload()).hasSize(60_000);
    }
}
