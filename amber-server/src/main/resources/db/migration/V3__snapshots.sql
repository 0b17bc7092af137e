-- Snapshots and checkpoints: saved machine states (memory, devices, a disk layer) on one host.
-- Disk layers form chains: a snapshot's layer sits on disk_parent_id's, and a sandbox's current
-- overlay on sandboxes.disk_base_id's. A layer is deleted only once nothing sits on it.
-- based_on is lineage for people (and patches): what the source sandbox was itself based on.
create table snapshots (
    id               uuid primary key,
    team_id          uuid not null references teams (id),
    name             text,
    kind             text not null check (kind in ('snapshot', 'checkpoint')),
    state            text not null check (state in ('creating', 'ready', 'failed', 'deleting')),
    state_reason     text,
    sandbox_id       uuid not null references sandboxes (id),
    based_on         uuid,
    disk_parent_id   uuid references snapshots (id),
    host_id          uuid references hosts (id),
    vcpus            int not null,
    memory_mb        int not null,
    disk_size_mb     bigint not null,
    size_bytes       bigint,
    pause_window_ms  bigint,
    created_at       timestamptz not null default now()
);
create unique index snapshots_team_name on snapshots (team_id, name) where name is not null;
create index snapshots_team on snapshots (team_id, created_at);
create index snapshots_sandbox on snapshots (sandbox_id);
create index snapshots_disk_parent on snapshots (disk_parent_id) where disk_parent_id is not null;

alter table sandboxes add column disk_base_id uuid references snapshots (id) on delete set null;
create index sandboxes_disk_base on sandboxes (disk_base_id) where disk_base_id is not null;
create index sandboxes_based_on on sandboxes (based_on) where based_on is not null;
create index sandboxes_snapshot on sandboxes (snapshot_id) where snapshot_id is not null;
