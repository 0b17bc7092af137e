package dev.amber.server.quota;

import dev.amber.api.error.ApiException;
import dev.amber.api.team.TeamQuota;
import dev.amber.api.team.TeamUsage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Teams' quotas: set by an admin, shown to the team with its usage, and enforced where sandboxes
 * and snapshots are recorded. {@link #admit} runs in the transaction that inserts: it locks the
 * team's quota row, so a second create waits for the first to commit and then counts it.
 */
public final class TeamQuotas {

    /** The largest value a limit may have. */
    static final int MAX_LIMIT = 1_000_000;

    private final QuotaRepository quotas;

    public TeamQuotas(Jdbi jdbi) {
        this.quotas = new QuotaRepository(jdbi);
    }

    public TeamQuota quota(UUID teamId) {
        return quotas.find(teamId).orElse(TeamQuota.UNLIMITED);
    }

    public TeamUsage usage(UUID teamId) {
        return quotas.usage(teamId);
    }

    /** Replaces the team's quota; each limit must be from 0 to {@value #MAX_LIMIT} or null (400 naming it). */
    public TeamQuota set(UUID teamId, TeamQuota quota) {
        requireNonNull(quota, "quota");
        range("maxSandboxes", quota.maxSandboxes());
        range("maxRunningVcpus", quota.maxRunningVcpus());
        range("maxMemoryMiB", quota.maxMemoryMiB());
        range("maxSnapshots", quota.maxSnapshots());
        range("maxSnapshotGiB", quota.maxSnapshotGiB());
        quotas.set(teamId, quota);
        return quota;
    }

    /**
     * Checks {@code demand} against the team's quota without holding anything: an early answer for
     * an operation that checks again under the lock (a fork's copies) or cannot take it (a resume).
     */
    public void check(UUID teamId, Demand demand) {
        quotas.find(teamId).ifPresent(quota -> QuotaCheck.require(quota, quotas.usage(teamId), demand));
    }

    /**
     * Checks {@code demand} inside the transaction of {@code handle}, which then records it: the
     * team's quota row stays locked until that transaction ends. A team without a quota takes no lock.
     */
    public void admit(Handle handle, UUID teamId, Demand demand) {
        quotas.lock(handle, teamId).ifPresent(quota -> QuotaCheck.require(quota, quotas.usage(handle, teamId), demand));
    }

    private static void range(String field, Integer value) {
        if (value != null && (value < 0 || value > MAX_LIMIT)) {
            throw ApiException.badRequest(field + " must be from 0 to " + MAX_LIMIT + ", or null for no limit; got " + value);
        }
    }
}
