package dev.amber.proto.link;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One end of the link as a client: a TLS channel to the other end's address that presents this
 * end's certificate and accepts only the peer its {@link PeerCheck} names. It connects lazily, so
 * opening one never blocks.
 */
public final class LinkChannel implements AutoCloseable {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final ManagedChannel channel;
    private final String address;

    private LinkChannel(ManagedChannel channel, String address) {
        this.channel = channel;
        this.address = address;
    }

    /** {@code address}: host:port of a peer that {@code peer} accepts; this end proves itself with {@code credentials}. */
    public static LinkChannel open(String address, LinkCredentials credentials, PeerCheck peer) {
        return connect(address, requireNonNull(credentials, "credentials"), peer);
    }

    /**
     * A channel that presents no certificate, for the one call a host makes before it has one (its
     * join): only services the peer serves to anyone answer on it.
     */
    public static LinkChannel openAnonymous(String address, PeerCheck peer) {
        return connect(address, null, peer);
    }

    private static LinkChannel connect(String address, LinkCredentials credentials, PeerCheck peer) {
        requireNonNull(address, "address");
        requireNonNull(peer, "peer");
        ManagedChannel channel = NettyChannelBuilder.forTarget(address)
                .sslContext(LinkTls.client(credentials, peer))
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
