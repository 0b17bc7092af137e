-- A sandbox whose ports are not public (network.publicPorts false) admits requests by host name
-- only with its port token, stored as SHA-256 like API keys.
alter table sandboxes add column port_token_hash bytea;
