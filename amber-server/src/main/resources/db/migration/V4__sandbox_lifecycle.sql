-- Whether an exec or file call may wake the sandbox from a pause (it is then resumed first).
alter table sandboxes add column auto_resume boolean not null default true;
-- What the inactivity reaper scans every two seconds: running sandboxes by last activity.
create index sandboxes_running_activity on sandboxes (last_activity_at) where state = 'running';
