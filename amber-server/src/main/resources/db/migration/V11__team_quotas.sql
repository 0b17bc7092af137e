-- A team's quota: each column null is no limit; a team without a row has none at all.
-- Creates and snapshots of a team with a row lock it (for update) while they check and insert,
-- so two requests racing for the last slot cannot both take it.
create table team_quotas (
    team_id            uuid primary key references teams (id),
    max_sandboxes      int check (max_sandboxes >= 0),
    max_running_vcpus  int check (max_running_vcpus >= 0),
    max_memory_mib     int check (max_memory_mib >= 0),
    max_snapshots      int check (max_snapshots >= 0),
    max_snapshot_gib   int check (max_snapshot_gib >= 0),
    updated_at         timestamptz not null default now()
);

-- What a build queue claim reads: the running builds per team.
create index builds_running_team on builds (team_id) where status = 'running';
