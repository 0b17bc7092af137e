package dev.amber.server.metrics;

import dev.amber.api.error.ApiException;
import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.sandbox.SandboxMetricsKeeper;
import dev.amber.server.sandbox.SandboxRecord;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Moves a sandbox's metrics from its host into the database when the host stops serving them
 * live: every tier once it is paused, the day tier (for {@link #retention}) before it is deleted.
 * Metrics never decide an operation: a host that cannot give them is logged, and the pause or
 * delete goes on.
 */
public final class MetricsArchive implements SandboxMetricsKeeper {

    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    private static final System.Logger LOG = System.getLogger("amber.metrics");

    private final MetricsRepository repository;
    private final HostDirectory hosts;
    private final Duration retention;

    public MetricsArchive(MetricsRepository repository, HostDirectory hosts, Duration retention) {
        this.repository = requireNonNull(repository, "repository");
        this.hosts = requireNonNull(hosts, "hosts");
        this.retention = requireNonNull(retention, "retention");
    }

    /** Stores every tier of a sandbox its host has just paused (the host keeps them until it is destroyed). */
    @Override
    public void paused(SandboxRecord sandbox) {
        fromHost(sandbox, null).ifPresent(tiers -> repository.save(sandbox.teamId(), sandbox.id(), tiers));
    }

    /** Keeps the day tier of a sandbox about to be destroyed, for the retention period; the other tiers go. */
    @Override
    public void destroying(SandboxRecord sandbox) {
        String day = MetricsRange.DAY.wireName();
        fromHost(sandbox, day)
                .filter(tiers -> tiers.stream().anyMatch(tier -> !tier.points().isEmpty()))
                .ifPresent(tiers -> repository.save(sandbox.teamId(), sandbox.id(), tiers));
        repository.retain(sandbox.teamId(), sandbox.id(), day, Instant.now().plus(retention));
    }

    private Optional<List<SandboxMetrics>> fromHost(SandboxRecord sandbox, String range) {
        if (sandbox.hostId() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(hosts.require(sandbox.hostId()).metrics().series(sandbox.wireId(), range));
        } catch (HostException | ApiException e) {
            LOG.log(Level.WARNING, "metrics of sandbox {0} not kept: {1}", sandbox.wireId(), e.getMessage());
            return Optional.empty();
        }
    }
}
