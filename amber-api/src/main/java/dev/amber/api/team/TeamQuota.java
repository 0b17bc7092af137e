package dev.amber.api.team;

/**
 * What a team may hold at once; a null limit is no limit. Sandboxes count until deleted (paused
 * ones too); vCPUs and memory count while a sandbox holds a VM (not when paused); snapshots and
 * checkpoints count until deleted, their size once known.
 */
public record TeamQuota(Integer maxSandboxes, Integer maxRunningVcpus, Integer maxMemoryMiB, Integer maxSnapshots,
                        Integer maxSnapshotGiB) {

    /** No limit on anything: a team without a quota. */
    public static final TeamQuota UNLIMITED = new TeamQuota(null, null, null, null, null);
}
