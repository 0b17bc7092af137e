-- The platform a snapshot was saved on, from its host's newest heartbeat when it became ready:
-- {"machineType": "pc-q35-7.2", "cpuModel": "max", "accelerator": "tcg"}. Placement starts it only
-- on hosts that can restore that. Null: not known (older rows, or a host that did not report one).
alter table snapshots add column platform jsonb;
