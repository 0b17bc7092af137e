package dev.amber.server.quota;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.team.TeamQuota;
import dev.amber.api.team.TeamUsage;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Whether a demand fits a team's quota given what it holds: each limit that is set and that the
 * demand touches must hold what is used plus what is asked. Snapshot bytes are known only once a
 * snapshot is taken, so that limit refuses a new snapshot when the team is at or over it already.
 */
final class QuotaCheck {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private QuotaCheck() {}

    /** Throws 429 {@code quota_exceeded} naming the first limit the demand would break. */
    static void require(TeamQuota quota, TeamUsage usage, Demand demand) {
        requireNonNull(quota, "quota");
        requireNonNull(usage, "usage");
        requireNonNull(demand, "demand");
        within("maxSandboxes", quota.maxSandboxes(), usage.sandboxes(), demand.sandboxes());
        within("maxRunningVcpus", quota.maxRunningVcpus(), usage.runningVcpus(), demand.vcpus());
        within("maxMemoryMiB", quota.maxMemoryMiB(), usage.memoryMiB(), demand.memoryMiB());
        within("maxSnapshots", quota.maxSnapshots(), usage.snapshots(), demand.snapshots());
        if (demand.snapshots() > 0 && quota.maxSnapshotGiB() != null && usage.snapshotGiB() >= quota.maxSnapshotGiB()) {
            throw exceeded("maxSnapshotGiB", quota.maxSnapshotGiB(), usage.snapshotGiB(), 0,
                    "the team's snapshots take " + String.format("%.2f", usage.snapshotGiB()) + " GiB, at or over its quota of "
                            + quota.maxSnapshotGiB() + " GiB; delete snapshots or checkpoints first");
        }
    }

    static double gib(long bytes) {
        return bytes / GIB;
    }

    private static void within(String name, Integer limit, long used, long requested) {
        if (requested > 0 && limit != null && used + requested > limit) {
            throw exceeded(name, limit, used, requested, "this needs " + requested + " more under " + name + " ("
                    + limit + "), and the team uses " + used + "; delete or pause what it no longer needs, or ask an "
                    + "admin to raise the quota");
        }
    }

    private static ApiException exceeded(String name, int limit, Number used, long requested, String message) {
        return new ApiException(ErrorCode.QUOTA_EXCEEDED, "quota exceeded: " + message,
                Map.of("quota", name, "limit", limit, "used", used, "requested", requested));
    }
}
