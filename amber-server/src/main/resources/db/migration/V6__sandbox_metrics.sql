-- Sandboxes' sampled resource use, one row per tier ('10m', '2h', '24h'), points as JSON. Written
-- when a sandbox is paused (every tier, no expiry) and when it is deleted (only '24h' stays, until
-- expires_at).
create table sandbox_metrics (
    sandbox_id   uuid not null references sandboxes (id) on delete cascade,
    team_id      uuid not null references teams (id),
    tier         text not null,
    interval_ms  bigint not null,
    points       jsonb not null,
    expires_at   timestamptz,
    updated_at   timestamptz not null default now(),
    primary key (sandbox_id, tier)
);
create index sandbox_metrics_expiry on sandbox_metrics (expires_at) where expires_at is not null;
