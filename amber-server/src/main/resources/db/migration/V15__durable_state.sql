-- Durable state in the object store (AMBER_S3_*). A snapshot is durable once a host copied it
-- there, and any host can then start from it; durable_error says why the last copy failed (it is
-- tried again).
alter table snapshots add column durable boolean not null default false;
alter table snapshots add column durable_error text;
-- A paused sandbox's saved machine in the store: the id its current pause is stored under (null
-- until it is stored, and again once the sandbox leaves the pause), and why the last copy failed.
alter table sandboxes add column stored_state_id text;
alter table sandboxes add column durable_error text;
