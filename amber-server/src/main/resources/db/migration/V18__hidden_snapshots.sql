-- A snapshot, checkpoint or layer the user deleted while something still needs its files (a
-- sandbox on its disk layer or based on it, a snapshot whose layer sits on it, a template) is
-- hidden: gone for users (no lookup, listing or new start finds it; its name is cleared, so free
-- again), kept until its last user goes, when the collector deletes its files and row.
alter table snapshots add column hidden boolean not null default false;
create index snapshots_hidden on snapshots (id) where hidden;
