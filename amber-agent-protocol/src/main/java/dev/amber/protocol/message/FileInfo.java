package dev.amber.protocol.message;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What the guest knows about one path: the reply to stat, and each entry of a listing. */
public record FileInfo(String name, Type type, long size, int mode, long modifiedMillis, String owner) {

    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    public byte[] encode() {
        return WireWriter.encode(this::write);
    }

    public static FileInfo decode(byte[] bytes) throws IOException {
        return read(new WireReader(bytes));
    }

    public static byte[] encodeList(List<FileInfo> entries) {
        return WireWriter.encode(out -> {
            out.writeInt(entries.size());
            entries.forEach(entry -> entry.write(out));
        });
    }

    public static List<FileInfo> decodeList(byte[] bytes) throws IOException {
        WireReader in = new WireReader(bytes);
        int count = in.readInt();
        if (count < 0 || count > bytes.length) {
            throw new ProtocolException("bad entry count " + count);
        }
        List<FileInfo> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(read(in));
        }
        return entries;
    }

    private void write(WireWriter out) {
        out.writeString(name).writeByte(type.ordinal()).writeLong(size).writeInt(mode).writeLong(modifiedMillis)
                .writeString(owner);
    }

    private static FileInfo read(WireReader in) throws IOException {
        String name = in.readString();
        int type = in.readByte();
        if (type >= Type.values().length) {
            throw new ProtocolException("unknown file type " + type);
        }
        return new FileInfo(name, Type.values()[type], in.readLong(), in.readInt(), in.readLong(), in.readString());
    }
}
