-- Patches: scripts attached to a snapshot, applied in sequence to the sandboxes based on it when
-- they wake (created from it, or resumed), each at most once per sandbox.
create table snapshot_patches (
    snapshot_id  uuid not null references snapshots (id) on delete cascade,
    sequence     int not null,
    script       text not null,
    created_at   timestamptz not null default now(),
    primary key (snapshot_id, sequence)
);
alter table sandboxes add column patch_error text;
alter table snapshots add column patch_sequence int not null default 0;
