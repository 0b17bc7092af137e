package dev.amber.host.grpc;

import java.io.IOException;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Keeps this host registered with one control plane server: registers, then sends a heartbeat every
 * {@link Timing#heartbeat()}. When a call fails or the server no longer knows the host (it restarted,
 * or marked the host unreachable), the host registers again, retrying with a backoff that doubles
 * from {@link Timing#firstRetry()} to {@link Timing#maxRetry()}, until closed. Each change between
 * linked and not linked is logged once, not every attempt. {@link HostLinks} keeps one per server replica.
 */
public final class HostLink implements AutoCloseable {

    /** How often the host reports, and how it backs off when the control plane cannot be reached. */
    public record Timing(Duration heartbeat, Duration firstRetry, Duration maxRetry) {
        public Timing {
            requireNonNull(heartbeat, "heartbeat");
            requireNonNull(firstRetry, "firstRetry");
            requireNonNull(maxRetry, "maxRetry");
        }

        /** A heartbeat every 2 s; retries after 0.5 s, doubling up to 30 s. */
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    private static final System.Logger LOG = System.getLogger("amber.host.link");

    private final HostRegistration registration;
    private final HostReport report;
    private final String name;
    private final String address;
    private final Timing timing;
    private final Thread loop;
    private volatile String hostId;
    private volatile boolean closed;

    private HostLink(HostRegistration registration, HostReport report, String name, String address, Timing timing,
                     String hostId) {
        this.registration = registration;
        this.report = report;
        this.name = name;
        this.address = address;
        this.timing = timing;
        this.hostId = hostId;
        this.loop = Thread.ofPlatform().daemon().name("host-link " + registration.serverAddress()).unstarted(this::run);
    }

    /**
     * Registers as {@code name} at {@code address} once (throwing as {@link HostRegistration#register}
     * does: a host that cannot register at start is told so), then keeps the link up in the background.
     * The link owns {@code registration} and closes it.
     */
    public static HostLink start(HostRegistration registration, HostReport report, String name, String address,
                                 Timing timing) throws IOException {
        requireNonNull(registration, "registration");
        requireNonNull(report, "report");
        requireNonNull(timing, "timing");
        String hostId = registration.register(report.registration(name, address));
        HostLink link = new HostLink(registration, report, name, address, timing, hostId);
        link.loop.start();
        return link;
    }

    /**
     * Keeps trying to register as {@code name} at {@code address} in the background, with the backoff
     * of {@code timing}, then keeps the link up: for a server that could not be reached at start.
     * The link owns {@code registration} and closes it.
     */
    public static HostLink startRegistering(HostRegistration registration, HostReport report, String name,
                                            String address, Timing timing) {
        requireNonNull(registration, "registration");
        requireNonNull(report, "report");
        requireNonNull(timing, "timing");
        HostLink link = new HostLink(registration, report, name, address, timing, null);
        link.loop.start();
        return link;
    }

    /** The id the control plane knows this host by; null while the link has not registered yet. */
    public String hostId() {
        return hostId;
    }

    private void run() {
        Duration retry = timing.firstRetry();
        boolean linked = hostId != null;
        while (!closed) {
            try {
                if (linked && !registration.heartbeat(report.heartbeat())) {
                    LOG.log(System.Logger.Level.WARNING, "the control plane at {0} no longer knows host {1}; registering again",
                            registration.serverAddress(), hostId);
                    linked = false;
                }
                if (!linked) {
                    hostId = registration.register(report.registration(name, address));
                    LOG.log(System.Logger.Level.INFO, "host {0} registered with the control plane at {1} as {2}",
                            name, registration.serverAddress(), hostId);
                    linked = true;
                    retry = timing.firstRetry();
                }
                sleep(timing.heartbeat());
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    break; // a call cut short by close(): nothing was lost
                }
                if (linked) {
                    LOG.log(System.Logger.Level.WARNING, "lost the control plane at {0}; registering again, retrying "
                            + "with backoff up to {1} s: {2}", registration.serverAddress(), timing.maxRetry().toMillis() / 1000.0,
                            e.getMessage());
                    linked = false;
                }
                sleep(retry);
                retry = retry.multipliedBy(2).compareTo(timing.maxRetry()) > 0 ? timing.maxRetry() : retry.multipliedBy(2);
            }
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** Stops reporting (the control plane marks the host unreachable after its timeout) and closes the channel. */
    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registration.close();
    }
}
