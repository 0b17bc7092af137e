-- Templates built from recipes. A template of kind 'snapshot' starts sandboxes from snapshot_id (a
-- 'layer' snapshot taken once its processes were ready); 'image' templates (base) boot the guest
-- image. A build turns a recipe into a template; builds wait in a queue that workers take from
-- with FOR UPDATE SKIP LOCKED. Every step that changes the machine leaves a layer, cached by key.
alter table snapshots drop constraint snapshots_kind_check;
alter table snapshots add constraint snapshots_kind_check check (kind in ('snapshot', 'checkpoint', 'layer'));

alter table templates
    add column state         text not null default 'ready' check (state in ('building', 'ready', 'failed')),
    add column state_reason  text,
    add column disk_size_mb  bigint not null default 5120,
    add column snapshot_id   uuid references snapshots (id),
    add column recipe        jsonb,
    add column build_id      uuid;
create index templates_snapshot on templates (snapshot_id) where snapshot_id is not null;

create table builds (
    id               uuid primary key,
    team_id          uuid not null references teams (id),
    template_id      uuid not null references templates (id) on delete cascade,
    status           text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    error            text,
    recipe           jsonb not null,
    steps            jsonb not null,
    attempts         int not null default 0,
    cancel_requested boolean not null default false,
    builder_id       uuid,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
create index builds_queue on builds (created_at) where status = 'queued';
create index builds_team on builds (team_id, created_at);

create table build_logs (
    build_id    uuid not null references builds (id) on delete cascade,
    seq         bigserial,
    step        int,
    stream      text not null check (stream in ('system', 'stdout', 'stderr')),
    text        text not null,
    created_at  timestamptz not null default now(),
    primary key (build_id, seq)
);

-- A layer's key: (parent key, step content), hashed; the same recipe prefix finds the same layer.
create table build_layers (
    team_id      uuid not null references teams (id),
    key          text not null,
    snapshot_id  uuid not null references snapshots (id) on delete cascade,
    created_at   timestamptz not null default now(),
    primary key (team_id, key)
);
create index build_layers_snapshot on build_layers (snapshot_id);
