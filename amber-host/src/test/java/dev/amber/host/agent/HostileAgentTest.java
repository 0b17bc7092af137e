package dev.amber.host.agent;

import dev.amber.protocol.frame.Frame;
import dev.amber.protocol.frame.FrameType;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Hello;
import dev.amber.protocol.mux.Multiplexer;
import dev.amber.protocol.mux.Stream;
import dev.amber.protocol.mux.StreamResetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A guest agent turned hostile, over a real unix socket, next to a well-behaved one: whatever the
 * hostile guest sends or refuses to read, the host's heap stays within a fixed bound, the hostile
 * guest's own calls fail in bounded time, and the other guest goes on being served.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileAgentTest {

    private static final int MIB = 1024 * 1024;
    private static final long HEAP_GROWTH_LIMIT = 64L * MIB;
    private static final Duration CONNECT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : List.copyOf(closeables).reversed()) {
            closeable.close();
        }
    }

    @Test
    void floodsOfGarbageEmptyHugeAndUnaskedFramesLeaveTheHeapBoundedWhileAnotherAgentIsServed() throws Exception {
        AgentChannel good = wellBehavedAgent("good");
        CompletableFuture<SocketChannel> guest = new CompletableFuture<>();
        AgentChannel hostile = hostileAgent("hostile", guest, AgentChannel.WRITE_STALL_LIMIT);
        Stream victim = hostile.mux().open("unread".getBytes(StandardCharsets.UTF_8));
        roundTrip(good);
        long before = heapUsedAfterGc();

        CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> flood(guest.join(), victim.id()),
                task -> Thread.ofVirtual().start(task));
        long peak = before;
        int served = 0;
        while (!sent.isDone()) {
            roundTrip(good);
            served++;
            if (served % 50 == 0) {
                peak = Math.max(peak, heapUsedAfterGc());
            }
        }
        long total = sent.get();
        peak = Math.max(peak, heapUsedAfterGc());

        assertThat(total).isGreaterThan(1024L * MIB);
        assertThat(served).isPositive();
        assertThat(peak - before).as("heap growth while the guest sent %d MiB", total / MIB).isLessThan(HEAP_GROWTH_LIMIT);
        assertThatThrownBy(() -> drain(victim)).isInstanceOf(StreamResetException.class).hasMessageContaining("frames");
        assertThat(hostile.mux().protocolErrors()).isPositive();
        roundTrip(good);
    }

    @Test
    void aGuestThatNeitherReadsNorGrantsCreditFailsOnlyItsOwnCallsInBoundedTime() throws Exception {
        AgentChannel good = wellBehavedAgent("good");
        CompletableFuture<SocketChannel> guest = new CompletableFuture<>();
        AgentChannel hostile = hostileAgent("deaf", guest, Duration.ofSeconds(2));
        guest.join(); // connected, answered hello, and from now on reads nothing

        Stream noCredit = hostile.mux().open("upload".getBytes(StandardCharsets.UTF_8));
        noCredit.setSendTimeout(Duration.ofSeconds(2));
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                noCredit.send(Tags.DATA, new byte[8 * Stream.WINDOW]);
                return null;
            } catch (IOException e) {
                return e;
            }
        }, task -> Thread.ofVirtual().start(task));
        while (!failure.isDone()) {
            roundTrip(good);
        }

        assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class);
        assertThat(hostile.mux().closed().get(30, TimeUnit.SECONDS)).contains("read nothing");
        assertThatThrownBy(() -> hostile.mux().open(new byte[0])).isInstanceOf(StreamResetException.class);
        roundTrip(good);
    }

    /**
     * Everything a guest can throw at the host's reader; returns the bytes sent. Empty frames for a
     * stream the host does not read, then for streams it never opened; garbage; headers claiming
     * 4 GiB and 1 GiB (the latter followed by its gigabyte); hellos and opens the host never asked for.
     */
    private static long flood(SocketChannel guest, int victimId) {
        try {
            var out = Channels.newOutputStream(guest);
            long sent = 0;
            byte[] empty = FakeGuestPort.repeated(FakeGuestPort.encode(Frame.of(FrameType.DATA, victimId)), MIB);
            for (int i = 0; i < 96; i++) {
                out.write(empty);
                sent += empty.length;
            }
            byte[] stray = FakeGuestPort.repeated(FakeGuestPort.encode(Frame.of(FrameType.DATA, 1001)), MIB);
            for (int i = 0; i < 32; i++) {
                out.write(stray);
                sent += stray.length;
            }
            byte[] garbage = new byte[MIB];
            Random random = new Random(18);
            for (int i = 0; i < 32; i++) {
                random.nextBytes(garbage);
                out.write(garbage);
                sent += garbage.length;
            }
            out.write(FakeGuestPort.header(FrameType.DATA, victimId, 0xFFFF_FFFF));
            out.write(FakeGuestPort.header(FrameType.DATA, victimId, 1 << 30));
            byte[] zeros = new byte[MIB];
            for (int i = 0; i < 1024; i++) {
                out.write(zeros);
                sent += zeros.length;
            }
            out.write(new byte[Frame.TRAILER_BYTES]);
            byte[] hellos = FakeGuestPort.repeated(FakeGuestPort.oldAgentHello(), 8 * MIB);
            byte[] opens = FakeGuestPort.repeated(FakeGuestPort.encode(new Frame(FrameType.OPEN, 0, 2, new byte[1024])), 8 * MIB);
            out.write(hellos);
            out.write(opens);
            return sent + hellos.length + opens.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What plays the guest once QEMU's side of the port has accepted the host. */
    @FunctionalInterface
    private interface GuestSide {
        void serve(SocketChannel accepted) throws IOException;
    }

    private AgentChannel wellBehavedAgent(String name) throws IOException {
        return agent(name, AgentChannel.WRITE_STALL_LIMIT, accepted -> closeables.add(Multiplexer.start(
                Channels.newInputStream(accepted), Channels.newOutputStream(accepted), Multiplexer.Side.GUEST,
                Hello.of(Map.of("agent", name)), (stream, request) -> {
                    stream.send(Tags.REPLY, request);
                    stream.end();
                }, name)));
    }

    /** Answers the host's hello as an old agent would, then hands the socket to the test. */
    private AgentChannel hostileAgent(String name, CompletableFuture<SocketChannel> guest, Duration writeStallLimit)
            throws IOException {
        return agent(name, writeStallLimit, accepted -> {
            accepted.write(ByteBuffer.wrap(FakeGuestPort.oldAgentHello()));
            guest.complete(accepted);
        });
    }

    private AgentChannel agent(String name, Duration writeStallLimit, GuestSide guestSide) throws IOException {
        Path socket = socket(name);
        FakeGuestPort port = FakeGuestPort.listen(socket);
        closeables.add(port);
        Thread.ofVirtual().start(() -> {
            try {
                SocketChannel accepted = port.accept();
                closeables.add(accepted);
                guestSide.serve(accepted);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        AgentChannel channel = AgentChannel.connect(socket, CONNECT, writeStallLimit);
        closeables.add(channel);
        return channel;
    }

    private Path socket(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name)).resolve("agent.sock");
    }

    private static void roundTrip(AgentChannel channel) throws Exception {
        byte[] request = "ping".getBytes(StandardCharsets.UTF_8);
        Stream stream = channel.mux().open(request);
        assertThat(stream.receive(Duration.ofSeconds(10)).data()).isEqualTo(request);
        stream.end();
        assertThat(stream.receive(Duration.ofSeconds(10))).isNull();
        Thread.sleep(20); // a client's pace, not a spin that would starve the reader under test
    }

    private static void drain(Stream stream) throws IOException {
        while (stream.receive() != null) {
            // what was queued before the reset
        }
    }

    private static long heapUsedAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
