-- Tenancy: a team sees its own objects, and of the platform team's only the templates it published
-- (built with "platform": true). The platform team's other templates, and all its snapshots,
-- checkpoints and sandboxes, are its own like any team's. Its templates so far were every team's,
-- so they stay published; base among them.
alter table templates add column published boolean not null default false;
update templates set published = true where team_id = '00000000-0000-0000-0000-000000000000';
alter table templates add constraint templates_published_by_platform
    check (not published or team_id = '00000000-0000-0000-0000-000000000000');
