-- Server replicas: every running `amber server` process has a row, renewed (seen_at) while it
-- lives; a row not renewed within the lease is a replica that died.
create table server_replicas (
    id uuid primary key,
    name text not null,
    started_at timestamptz not null default now(),
    seen_at timestamptz not null default now()
);
-- The replica that last moved each sandbox, snapshot and build into its state: a transitional
-- state whose replica is gone was interrupted, and another replica settles it.
alter table sandboxes add column replica_id uuid;
alter table snapshots add column replica_id uuid;
alter table builds add column replica_id uuid;
-- The cluster CA every replica must hold (its fingerprint: the CA itself stays in the replicas'
-- data directories).
create table cluster_authority (
    singleton boolean primary key default true check (singleton),
    fingerprint text not null,
    recorded_at timestamptz not null default now()
);
