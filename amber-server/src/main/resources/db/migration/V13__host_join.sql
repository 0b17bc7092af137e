-- Teams that may bring their own hosts (BYOC), and whose host a host is: null is a platform host,
-- which takes any team's sandboxes; a team's host takes only that team's.
alter table teams add column byoc boolean not null default false;
alter table hosts add column team_id uuid references teams (id);

-- Single-use tokens a new host joins the cluster with. Only the secret's SHA-256 is kept; the token
-- is shown once. A join consumes its token and creates the host in one transaction: used_at and
-- host_id are set together. created_by is the key that made it (no reference: keys are deleted).
create table host_join_tokens (
    id             uuid primary key,
    secret_sha256  bytea not null unique,
    team_id        uuid references teams (id),
    created_by     uuid not null,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    used_at        timestamptz,
    host_id        uuid references hosts (id)
);
