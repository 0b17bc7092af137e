package dev.amber.guest;

import dev.amber.guest.exec.ExecHandler;
import dev.amber.guest.exec.ProcessHandler;
import dev.amber.guest.exec.ProcessLauncher;
import dev.amber.guest.files.FileHandler;
import dev.amber.guest.port.PortForwarder;
import dev.amber.guest.system.SystemHandler;
import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.ProtocolException;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Multiplexer;
import dev.amber.protocol.mux.Stream;
import dev.amber.protocol.mux.StreamResetException;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** Routes each stream the host opens to the handler for its request. */
public final class AgentService implements Multiplexer.Acceptor {

    private final ExecHandler exec;
    private final ProcessHandler processes;
    private final FileHandler files;
    private final SystemHandler system;
    private final PortForwarder ports = new PortForwarder();

    public AgentService(ExecHandler exec, ProcessHandler processes, FileHandler files, SystemHandler system) {
        this.exec = requireNonNull(exec, "exec");
        this.processes = requireNonNull(processes, "processes");
        this.files = requireNonNull(files, "files");
        this.system = requireNonNull(system, "system");
    }

    /** The agent as it runs in a guest: processes launched against /etc/passwd. */
    public static AgentService standard(SystemHandler system) {
        ProcessLauncher launcher = ProcessLauncher.forThisMachine();
        return new AgentService(new ExecHandler(launcher), new ProcessHandler(launcher), new FileHandler(), system);
    }

    @Override
    public void accept(Stream stream, byte[] payload) throws IOException {
        Request request;
        try {
            request = Request.decode(payload);
        } catch (ProtocolException e) {
            stream.reset("malformed request: " + e.getMessage());
            return;
        }
        try {
            switch (request) {
                case Request.Exec e -> exec.run(stream, e);
                case Request.ReadFile r -> files.read(stream, r);
                case Request.WriteFile w -> files.write(stream, w);
                case Request.ListDirectory l -> files.list(stream, l);
                case Request.Stat s -> files.stat(stream, s);
                case Request.MakeDirectory m -> files.mkdir(stream, m);
                case Request.Remove r -> files.remove(stream, r);
                case Request.Move m -> files.move(stream, m);
                case Request.Health h -> system.health(stream);
                case Request.SetClock c -> system.setClock(stream, c);
                case Request.Reseed r -> system.reseed(stream, r);
                case Request.SetHostname h -> system.setHostname(stream, h);
                case Request.Connect c -> ports.connect(stream, c);
                case Request.Start s -> processes.start(stream, s);
                case Request.Attach a -> processes.attach(stream, a);
                case Request.ListProcesses l -> processes.list(stream);
                case Request.Signal s -> processes.signal(stream, s);
            }
        } catch (StreamResetException e) {
            // the host gave up on this stream; nothing to answer
        } catch (Exception e) {
            AgentError error = Replies.describe(e);
            try {
                stream.send(Tags.ERROR, error.encode());
                stream.end();
            } catch (IOException gone) {
                // the host is gone too; the reset below is all that is left to say
            }
            // The host may still be sending (an upload): the reset stops it; the error is queued first.
            stream.reset(error.message());
        }
    }
}
