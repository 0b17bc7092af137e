package dev.amber.protocol.message;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A process the guest agent keeps track of. {@code exit} is null while it runs. {@code tag} is the
 * caller's label, or null.
 */
public record ProcessInfo(long pid, List<String> argv, String tag, boolean terminal, boolean background,
                          long startedMillis, ExecExit exit) {

    public ProcessInfo {
        argv = List.copyOf(argv);
    }

    public boolean running() {
        return exit == null;
    }

    public byte[] encode() {
        return WireWriter.encode(this::write);
    }

    public static ProcessInfo decode(byte[] bytes) throws IOException {
        return read(new WireReader(bytes));
    }

    public static byte[] encodeList(List<ProcessInfo> processes) {
        return WireWriter.encode(out -> {
            out.writeInt(processes.size());
            processes.forEach(process -> process.write(out));
        });
    }

    public static List<ProcessInfo> decodeList(byte[] bytes) throws IOException {
        WireReader in = new WireReader(bytes);
        int count = in.readInt();
        if (count < 0 || count > bytes.length) {
            throw new ProtocolException("bad process count " + count);
        }
        List<ProcessInfo> processes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            processes.add(read(in));
        }
        return processes;
    }

    private void write(WireWriter out) {
        out.writeLong(pid).writeStringList(argv).writeOptionalString(tag).writeBoolean(terminal)
                .writeBoolean(background).writeLong(startedMillis).writeBoolean(exit != null);
        if (exit != null) {
            out.writeBytes(exit.encode());
        }
    }

    private static ProcessInfo read(WireReader in) throws IOException {
        return new ProcessInfo(in.readLong(), in.readStringList(), in.readOptionalString(), in.readBoolean(),
                in.readBoolean(), in.readLong(), in.readBoolean() ? ExecExit.decode(in.readBytes()) : null);
    }
}
