-- GET /v1/audit-log lists newest first across teams, by action or by time (team_id, at) exists since V1.
create index audit_log_at on audit_log (at);
create index audit_log_action on audit_log (action, at);
