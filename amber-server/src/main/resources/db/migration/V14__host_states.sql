-- Host states (ready, unreachable, draining, removed) live in hosts.state; an admin's drain is
-- remembered apart from it so that it outlives the host going unreachable and coming back.
alter table hosts add column drained boolean not null default false;
-- A team's own host (null: a platform host). Part of V13 (host join) too; here so that this
-- migration stands alone: whichever runs first adds it.
alter table hosts add column if not exists team_id uuid references teams (id);
