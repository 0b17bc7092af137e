package dev.amber.guest;

import dev.amber.guest.exec.ExecHandler;
import dev.amber.guest.files.FileHandler;
import dev.amber.guest.system.SystemHandler;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Multiplexer;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * The guest agent. Started by the guest's init; serves the host over the virtio-serial port named
 * {@value #PORT_NAME} for as long as the VM lives, across host reconnects (e.g. after a restore).
 */
public final class Main {

    static final String PORT_NAME = "amber.0";
    /** While no host is connected the port reads as end-of-file; this is how often we look again. */
    private static final long IDLE_POLL_MILLIS = 10;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        Path device = VirtioPort.find(PORT_NAME);
        SystemHandler.AgentStartup startup = SystemHandler.AgentStartup.now();
        AgentService service = AgentService.standard(new SystemHandler(startup));
        System.out.println("amber-guest: ready on " + device + " after " + startup.jvmStartupMillis() + " ms of JVM start");
        try (RandomAccessFile port = new RandomAccessFile(device.toFile(), "rw")) {
            InputStream in = new FileInputStream(port.getFD());
            FileOutputStream out = new FileOutputStream(port.getFD());
            while (true) {
                serveOneConnection(awaitHost(in), out, service, startup);
            }
        }
    }

    /** Blocks until the host sends its first byte, which is handed back in front of the stream. */
    private static InputStream awaitHost(InputStream in) throws IOException, InterruptedException {
        PushbackInputStream pushback = new PushbackInputStream(in, 1);
        int first;
        while ((first = pushback.read()) < 0) {
            Thread.sleep(IDLE_POLL_MILLIS);
        }
        pushback.unread(first);
        return pushback;
    }

    private static void serveOneConnection(InputStream in, FileOutputStream out, AgentService service,
                                           SystemHandler.AgentStartup startup) throws IOException, InterruptedException {
        Multiplexer mux = Multiplexer.start(in, out, Multiplexer.Side.GUEST, Hello.of(startup.facts()), service, "agent");
        try {
            String reason = mux.closed().get();
            System.out.println("amber-guest: host disconnected (" + reason + ")");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** Locates the character device of a named virtio-serial port through sysfs (there is no udev). */
    static final class VirtioPort {
        private VirtioPort() {}

        static Path find(String name) throws IOException, InterruptedException {
            Path ports = Path.of("/sys/class/virtio-ports");
            for (int attempt = 0; attempt < 500; attempt++) {
                if (Files.isDirectory(ports)) {
                    try (var entries = Files.list(ports)) {
                        for (Path port : entries.toList()) {
                            Path nameFile = port.resolve("name");
                            if (Files.exists(nameFile) && Files.readString(nameFile).trim().equals(name)) {
                                return Path.of("/dev").resolve(port.getFileName());
                            }
                        }
                    }
                }
                Thread.sleep(20);
            }
            throw new IOException("no virtio-serial port named " + name + " appeared within 10 s");
        }
    }
}
