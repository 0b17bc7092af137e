-- Host states (ready, unreachable, draining, removed) live in hosts.state; an admin's drain is
-- remembered apart from it so that it outlives the host going unreachable and coming back.
alter table hosts add column drained boolean not null default false;
-- A team's own host (null: a platform host). Part of V13 (host join) too; here so that this
-- migration stands alone: whichever runs first adds it.
alter table hosts add column if not exists team_id uuid references teams (id);

-- Files a host must still remove (of a deleted team) because it was unreachable when they were
-- deleted: done, and the row dropped, when it registers again. object_id is the wire id.
create table host_cleanups (
    host_id     uuid not null references hosts (id),
    kind        text not null check (kind in ('sandbox', 'snapshot', 'image')),
    object_id   text not null,
    created_at  timestamptz not null default now(),
    primary key (host_id, kind, object_id)
);
