package dev.amber.guest;

import dev.amber.guest.exec.ExecHandler;
import dev.amber.guest.files.FileHandler;
import dev.amber.guest.system.SystemHandler;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Multiplexer;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A run of every request kind through a real multiplexer over in-process pipes. The image build
 * runs it once with -XX:AOTCacheOutput so the classes the agent needs are loaded and linked
 * ahead of time: under TCG that halves the agent's start.
 */
final class Training {

    private Training() {}

    static void run() throws Exception {
        Pipe toGuest = Pipe.open();
        Pipe toHost = Pipe.open();
        SystemHandler.AgentStartup startup = SystemHandler.AgentStartup.now();
        AgentService service = AgentService.standard(new SystemHandler(startup));
        Multiplexer guest = Multiplexer.start(Channels.newInputStream(toGuest.source()),
                Channels.newOutputStream(toHost.sink()), Multiplexer.Side.GUEST, Hello.of(startup.facts()), service, "guest");
        Multiplexer host = Multiplexer.start(Channels.newInputStream(toHost.source()),
                Channels.newOutputStream(toGuest.sink()), Multiplexer.Side.HOST, Hello.of(Map.of()), null, "host");
        host.awaitPeerHello(Duration.ofSeconds(30));

        Path dir = Files.createTempDirectory("amber-training");
        String file = dir.resolve("a.txt").toString();
        call(host, new Request.Health(), null);
        call(host, new Request.Exec(List.of("/bin/sh", "-c", "cat; echo out; echo err >&2"), Map.of("X", "1"), "/", null, 10_000),
                "input".getBytes(StandardCharsets.UTF_8));
        call(host, new Request.Exec(List.of("/bin/sleep", "30"), Map.of(), "/", null, 200), null); // timeout: kills the group
        call(host, new Request.Start(List.of("/bin/sh", "-c", "echo out; echo err >&2"), Map.of(), "/", null, 10_000,
                "training", false, null), null);
        call(host, new Request.ListProcesses(), null);
        call(host, new Request.MakeDirectory(dir.resolve("sub").toString(), 0755), null);
        call(host, new Request.WriteFile(file, 0644), "content".getBytes(StandardCharsets.UTF_8));
        call(host, new Request.ReadFile(file, 0, -1), null);
        call(host, new Request.Stat(file), null);
        call(host, new Request.ListDirectory(dir.toString()), null);
        call(host, new Request.Move(file, dir.resolve("b.txt").toString()), null);
        call(host, new Request.ReadFile(file, 0, -1), null); // the not-found path
        call(host, new Request.Remove(dir.toString(), true), null);
        host.close();
        guest.close();
        toGuest.sink().close();
        toHost.sink().close();
        System.out.println("amber-guest: training run complete");
    }

    private static void call(Multiplexer host, Request request, byte[] input) throws IOException {
        Stream stream = host.open(request.encode());
        if (input != null) {
            stream.send(request instanceof Request.Exec ? Tags.STDIN : Tags.DATA, input);
        }
        stream.end();
        Message message;
        while ((message = stream.receive()) != null) {
            if (message.tag() == Tags.ERROR && !(request instanceof Request.ReadFile)) {
                throw new IOException("training request " + request + " failed");
            }
        }
    }
}
