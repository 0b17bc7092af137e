-- Which process a replica is (machine name and pid): a replica starting on the same machine deletes
-- the rows of processes there that are no longer alive, so what a crashed process left is settled
-- at once instead of after its lease.
alter table server_replicas add column machine text not null default '';
alter table server_replicas add column pid bigint not null default 0;
