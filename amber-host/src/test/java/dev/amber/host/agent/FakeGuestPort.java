package dev.amber.host.agent;

import dev.amber.protocol.frame.Frame;
import dev.amber.protocol.frame.FrameType;
import dev.amber.protocol.frame.FrameWriter;
import dev.amber.protocol.message.WireWriter;
import dev.amber.protocol.mux.Hello;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The guest's end of an agent port, played by a test over a real unix socket where QEMU would
 * listen: what a hostile guest controls is exactly the bytes that come out of this socket.
 */
final class FakeGuestPort implements AutoCloseable {

    private final ServerSocketChannel server;

    private FakeGuestPort(ServerSocketChannel server) {
        this.server = server;
    }

    static FakeGuestPort listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new FakeGuestPort(server);
    }

    SocketChannel accept() throws IOException {
        return server.accept();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** A hello as an agent from before frame costs would say it (no {@code frameCost}): the host's harder case. */
    static byte[] oldAgentHello() {
        return encode(new Frame(FrameType.HELLO, 0, 0,
                WireWriter.encode(out -> out.writeInt(Hello.PROTOCOL_VERSION).writeStringMap(Map.of("agent", "hostile")))));
    }

    static byte[] encode(Frame frame) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new FrameWriter(bytes).write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A frame header with a valid checksum that claims {@code length} payload bytes (none follow). */
    static byte[] header(FrameType type, int streamId, int length) {
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES)
                .putInt(Frame.MAGIC).put((byte) type.code()).put((byte) 0).putShort((short) 0)
                .putInt(streamId).putInt(length);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, Frame.HEADER_BYTES - 4);
        return header.putInt((int) crc.getValue()).array();
    }

    /** {@code unit} repeated until the result is about {@code bytes} long. */
    static byte[] repeated(byte[] unit, int bytes) {
        int copies = Math.max(1, bytes / unit.length);
        ByteBuffer all = ByteBuffer.allocate(copies * unit.length);
        for (int i = 0; i < copies; i++) {
            all.put(unit);
        }
        return all.array();
    }
}
