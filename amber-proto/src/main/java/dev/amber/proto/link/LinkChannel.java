package dev.amber.proto.link;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One end of the link as a client: a channel to the other end's address that presents the token
 * on every call. It connects lazily, so opening one never blocks.
 */
public final class LinkChannel implements AutoCloseable {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final ManagedChannel channel;
    private final String address;

    private LinkChannel(ManagedChannel channel, String address) {
        this.channel = channel;
        this.address = address;
    }

    /** {@code address}: host:port. */
    public static LinkChannel open(String address, String token) {
        requireNonNull(address, "address");
        BearerToken bearer = new BearerToken(token);
        // Plaintext: the token authenticates the caller but does not protect the wire. A link that
        // crosses an untrusted network needs TLS, which ARCHITECTURE.md plans as mTLS.
        ManagedChannel channel = NettyChannelBuilder.forTarget(address)
                .usePlaintext()
                .intercept(bearer.attach())
                .build();
        return new LinkChannel(channel, address);
    }

    public Channel channel() {
        return channel;
    }

    public String address() {
        return address;
    }

    /** Lets calls in flight finish for a few seconds, then cancels the rest. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow().awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
