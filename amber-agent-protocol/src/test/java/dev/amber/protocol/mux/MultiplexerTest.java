package dev.amber.protocol.mux;

import dev.amber.protocol.frame.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiplexerTest {

    private Pipe hostToGuest;
    private Pipe guestToHost;
    private Multiplexer host;
    private Multiplexer guest;

    @BeforeEach
    void pipes() throws IOException {
        hostToGuest = Pipe.open();
        guestToHost = Pipe.open();
    }

    @AfterEach
    void close() throws IOException {
        if (host != null) {
            host.close();
        }
        if (guest != null) {
            guest.close();
        }
        hostToGuest.sink().close();
        guestToHost.sink().close();
    }

    private void connect(Multiplexer.Acceptor acceptor) throws Exception {
        guest = Multiplexer.start(Channels.newInputStream(hostToGuest.source()), Channels.newOutputStream(guestToHost.sink()),
                Multiplexer.Side.GUEST, Hello.of(Map.of("role", "guest")), acceptor, "guest");
        host = Multiplexer.start(Channels.newInputStream(guestToHost.source()), Channels.newOutputStream(hostToGuest.sink()),
                Multiplexer.Side.HOST, Hello.of(Map.of("role", "host")), null, "host");
        assertThat(host.awaitPeerHello(Duration.ofSeconds(5)).info()).containsEntry("role", "guest");
    }

    private static void echo(Stream stream, byte[] request) throws IOException {
        stream.send(4, request);
        Message message;
        while ((message = stream.receive()) != null) {
            stream.send(message.tag(), message.data());
        }
        stream.end();
    }

    @Test
    void aStalledStreamDoesNotBlockTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        connect((stream, request) -> {
            String what = new String(request, StandardCharsets.UTF_8);
            if (what.equals("flood")) {
                byte[] chunk = new byte[Frame.MAX_PAYLOAD];
                for (int i = 0; i < 64; i++) {
                    stream.send(1, chunk); // 4 MiB: far more than one window, the host is not reading
                }
                stream.end();
            } else {
                echo(stream, request);
            }
        });

        Stream flood = host.open("flood".getBytes(StandardCharsets.UTF_8));
        List<CompletableFuture<String>> echoes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String payload = "hello-" + i;
            echoes.add(CompletableFuture.supplyAsync(() -> roundTrip(payload)));
        }
        for (int i = 0; i < echoes.size(); i++) {
            assertThat(echoes.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("hello-" + i + "hello-" + i);
        }
        release.countDown();
        long total = flood.inputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(total).isEqualTo(64L * Frame.MAX_PAYLOAD);
    }

    private String roundTrip(String payload) {
        try {
            Stream stream = host.open(payload.getBytes(StandardCharsets.UTF_8));
            stream.send(1, payload.getBytes(StandardCharsets.UTF_8));
            stream.end();
            return new String(stream.inputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void largeTransferArrivesIntactAndInOrder() throws Exception {
        connect(MultiplexerTest::echo);
        byte[] data = new byte[20 * 1024 * 1024 + 17];
        new Random(1).nextBytes(data);

        Stream stream = host.open(new byte[0]);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.inputStream().readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (var out = stream.outputStream(1)) {
            out.write(data);
        }

        assertThat(MessageDigest.getInstance("SHA-256").digest(received.get(30, TimeUnit.SECONDS)))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void garbageBetweenFramesLeavesTheConnectionUsable() throws Exception {
        connect(MultiplexerTest::echo);
        byte[] garbage = new byte[10_000];
        new Random(3).nextBytes(garbage);
        host.writeGarbage(garbage);

        assertThat(roundTrip("still here")).isEqualTo("still herestill here");
        assertThat(guest.protocolErrors()).isGreaterThanOrEqualTo(garbage.length - Frame.HEADER_BYTES);
    }

    @Test
    void emptyFramesCostCreditSoASenderWaitsInsteadOfQueueingWithoutBound() throws Exception {
        CompletableFuture<IOException> sender = new CompletableFuture<>();
        connect((stream, request) -> {
            stream.setSendTimeout(Duration.ofSeconds(1));
            try {
                for (int i = 0; i <= Stream.MAX_QUEUED_FRAMES; i++) {
                    stream.send(1, new byte[0]);
                }
                sender.complete(null);
            } catch (IOException e) {
                sender.complete(e);
            }
        });
        Stream unread = host.open(new byte[0]);

        assertThat(sender.get(30, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class)
                .hasMessageContaining("read nothing");
        assertThat(host.protocolErrors()).isZero();
        assertThat(unread.receive(Duration.ofSeconds(5)).data()).isEmpty();
    }

    @Test
    void resetByHandlerReachesTheCaller() throws Exception {
        connect((stream, request) -> stream.reset("no such thing"));

        Stream stream = host.open(new byte[] {1});

        assertThatThrownBy(stream::receive).isInstanceOf(StreamResetException.class).hasMessage("no such thing");
    }

    @Test
    void closingTheConnectionFailsPendingReceivesInsteadOfHanging() throws Exception {
        connect((stream, request) -> { /* never answers */ });
        Stream stream = host.open(new byte[] {1});
        assertThatThrownBy(() -> stream.receive(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);

        guestToHost.sink().close();

        assertThatThrownBy(() -> stream.receive(Duration.ofSeconds(5))).isInstanceOf(StreamResetException.class)
                .hasMessageContaining("channel closed");
        assertThat(host.closed().get(5, TimeUnit.SECONDS)).isNotBlank();
    }

    @Test
    void inputStreamReadsAllChunksUntilEnd() throws Exception {
        connect((stream, request) -> {
            for (int i = 0; i < 3; i++) {
                stream.send(1, ("part" + i).getBytes(StandardCharsets.UTF_8));
            }
            stream.end();
        });
        InputStream in = host.open(new byte[0]).inputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo("part0part1part2");
    }
}
