-- Each sandbox's egress policy, kept so it survives pause/resume and is reapplied on restore.
alter table sandboxes add column network jsonb not null default '{"internet": true, "allowOut": [], "denyOut": []}';
