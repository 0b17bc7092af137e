-- Teams own everything; the platform team (all-zero id) owns platform templates and the admins.
create table teams (
    id          uuid primary key,
    name        text not null unique,
    created_at  timestamptz not null default now()
);
insert into teams (id, name) values ('00000000-0000-0000-0000-000000000000', 'platform');

create table users (
    id          uuid primary key,
    team_id     uuid not null references teams (id),
    name        text not null,
    admin       boolean not null default false,
    created_at  timestamptz not null default now(),
    unique (team_id, name)
);

-- Secrets are stored only as SHA-256 hashes; the prefix lets people recognise a key in a list.
create table api_keys (
    id            uuid primary key,
    team_id       uuid not null references teams (id),
    user_id       uuid references users (id),
    name          text not null,
    prefix        text not null,
    secret_hash   bytea not null unique,
    admin         boolean not null default false,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz
);
create index api_keys_team on api_keys (team_id);

create table hosts (
    id                  uuid primary key,
    name                text not null unique,
    address             text not null,
    state               text not null,
    accelerator         text,
    accelerator_reason  text,
    last_seen_at        timestamptz,
    created_at          timestamptz not null default now()
);

create table templates (
    id          uuid primary key,
    team_id     uuid not null references teams (id),
    name        text not null,
    kind        text not null,
    vcpus       int not null,
    memory_mb   int not null,
    created_at  timestamptz not null default now(),
    unique (team_id, name)
);
insert into templates (id, team_id, name, kind, vcpus, memory_mb)
values ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000000', 'base', 'image', 1, 512);

create table sandboxes (
    id                   uuid primary key,
    team_id              uuid not null references teams (id),
    state                text not null,
    state_reason         text,
    template_id          uuid references templates (id),
    snapshot_id          uuid,
    based_on             uuid,
    last_patch_sequence  int,
    vcpus                int not null,
    memory_mb            int not null,
    disk_size_mb         bigint not null default 5120,
    timeout_sec          int not null,
    auto_pause           boolean not null default true,
    env                  jsonb not null default '{}',
    metadata             jsonb not null default '{}',
    host_id              uuid references hosts (id),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    last_activity_at     timestamptz not null default now()
);
create index sandboxes_team on sandboxes (team_id, created_at);
create index sandboxes_host on sandboxes (host_id) where state not in ('stopped');

-- Who did what to which resource.
create table audit_log (
    id        bigserial primary key,
    at        timestamptz not null default now(),
    team_id   uuid,
    key_id    uuid,
    action    text not null,
    resource  text,
    outcome   text not null,
    details   jsonb not null default '{}'
);
create index audit_log_team on audit_log (team_id, at);
