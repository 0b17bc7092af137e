package dev.amber.guest;

import dev.amber.guest.system.SystemHandler;
import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Multiplexer;
import dev.amber.protocol.mux.Stream;
import dev.amber.protocol.mux.StreamResetException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent as the host sees it, in this JVM: {@link AgentService#standard} behind the protocol's
 * own {@link Multiplexer}, connected to a host-side multiplexer by a pair of pipes instead of the
 * VM's serial port. Requests go through the same routing and framing as in a guest. A test
 * registers it as an extension and gets a new agent for each test.
 */
final class GuestAgent implements BeforeEachCallback, AfterEachCallback {

    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);

    private Pipe hostToGuest;
    private Pipe guestToHost;
    private Multiplexer guest;
    private Multiplexer host;

    /** A new agent for each test. */
    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        hostToGuest = Pipe.open();
        guestToHost = Pipe.open();
        SystemHandler.AgentStartup startup = SystemHandler.AgentStartup.now();
        guest = Multiplexer.start(Channels.newInputStream(hostToGuest.source()), Channels.newOutputStream(guestToHost.sink()),
                Multiplexer.Side.GUEST, Hello.of(startup.facts()), AgentService.standard(new SystemHandler(startup)), "guest");
        host = Multiplexer.start(Channels.newInputStream(guestToHost.source()), Channels.newOutputStream(hostToGuest.sink()),
                Multiplexer.Side.HOST, Hello.of(Map.of()), null, "host");
        host.awaitPeerHello(Duration.ofSeconds(10));
    }

    /** Opens a stream for {@code request}; the caller talks on it. */
    Stream open(Request request) throws IOException {
        return host.open(request.encode());
    }

    /** Opens a stream with raw bytes as its request. */
    Stream open(byte[] request) throws IOException {
        return host.open(request);
    }

    /** Sends {@code request} and collects everything the agent answers until it ends the stream. */
    Answer call(Request request) throws Exception {
        Stream stream = open(request);
        try {
            stream.end();
        } catch (StreamResetException e) {
            // the agent failed the request before reading on: its error, queued first, is still to be read
        }
        return Answer.readFrom(stream);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        host.close();
        guest.close();
        hostToGuest.sink().close();
        guestToHost.sink().close();
    }

    /** The messages the agent sent on one stream, heartbeats left out. */
    record Answer(List<Message> messages) {

        static Answer readFrom(Stream stream) throws Exception {
            List<Message> messages = new ArrayList<>();
            Message message;
            while ((message = stream.receive(CALL_LIMIT)) != null) {
                if (message.tag() != Tags.HEARTBEAT) {
                    messages.add(message);
                }
            }
            return new Answer(List.copyOf(messages));
        }

        List<Integer> tags() {
            return messages.stream().map(Message::tag).toList();
        }

        /** The bytes of every message with {@code tag}, joined. */
        byte[] bytes(int tag) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            messages.stream().filter(m -> m.tag() == tag).forEach(m -> joined.writeBytes(m.data()));
            return joined.toByteArray();
        }

        String text(int tag) {
            return new String(bytes(tag), StandardCharsets.UTF_8);
        }

        /** The one message with {@code tag}; fails when there is none, or several. */
        byte[] only(int tag) {
            List<Message> tagged = messages.stream().filter(m -> m.tag() == tag).toList();
            if (tagged.size() != 1) {
                throw new AssertionError("expected one message tagged " + tag + ", got tags " + tags() + errorText());
            }
            return tagged.getFirst().data();
        }

        AgentError error() throws IOException {
            return AgentError.decode(only(Tags.ERROR));
        }

        private String errorText() {
            return messages.stream().filter(m -> m.tag() == Tags.ERROR).findFirst()
                    .map(m -> {
                        try {
                            return " (error: " + AgentError.decode(m.data()) + ")";
                        } catch (IOException e) {
                            return " (undecodable error)";
                        }
                    }).orElse("");
        }
    }
}
