-- Image templates: a build's disk flattened into a root disk on one host; their sandboxes boot it.
alter table templates
    add column image_id     uuid,
    add column host_id      uuid references hosts (id),
    add column image_bytes  bigint;
alter table sandboxes add column image_id uuid;
create index sandboxes_image on sandboxes (image_id) where image_id is not null;
