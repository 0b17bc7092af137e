package dev.amber.server.metrics;

import dev.amber.api.error.ApiException;
import dev.amber.api.metrics.SandboxMetrics;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxService;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A sandbox's metrics from wherever they are: its host while its VM is there (running, or in an
 * operation), the database once it is paused, or, for the retention period, once it is deleted.
 * Reading them is not activity: a dashboard polling a sandbox does not keep it from auto-pausing.
 */
public final class SandboxMetricsQuery {

    private final SandboxService sandboxes;
    private final MetricsRepository repository;
    private final HostDirectory hosts;

    public SandboxMetricsQuery(SandboxService sandboxes, MetricsRepository repository, HostDirectory hosts) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.repository = requireNonNull(repository, "repository");
        this.hosts = requireNonNull(hosts, "hosts");
    }

    /** 404 for another team's sandbox, or a deleted one whose metrics expired; 400 for an unknown range. */
    public SandboxMetrics get(Caller caller, String id, String rangeParameter) throws HostException {
        SandboxRecord sandbox = sandboxes.require(caller, id);
        MetricsRange range = MetricsRange.parse(rangeParameter);
        return switch (sandbox.state()) {
            case STOPPED -> {
                if (!repository.has(sandbox.teamId(), sandbox.id())) {
                    throw ApiException.notFound("no metrics of sandbox " + id + ": it was deleted and they have expired");
                }
                yield stored(sandbox, range);
            }
            case PAUSED, ERROR -> stored(sandbox, range);
            default -> live(sandbox, range);
        };
    }

    private SandboxMetrics live(SandboxRecord sandbox, MetricsRange range) throws HostException {
        try {
            return hosts.require(sandbox.hostId()).metrics().series(sandbox.wireId(), range.wireName()).getFirst();
        } catch (HostException e) {
            if (e.kind() != HostException.Kind.NOT_FOUND) {
                throw e;
            }
            return stored(sandbox, range); // still being created, or its VM is gone: what was kept, if anything
        }
    }

    private SandboxMetrics stored(SandboxRecord sandbox, MetricsRange range) {
        return repository.find(sandbox.teamId(), sandbox.id(), range.wireName())
                .orElseGet(() -> new SandboxMetrics(range.wireName(), range.intervalMillis(), List.of()));
    }
}
