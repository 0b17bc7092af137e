package dev.amber.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.server.auth.Caller;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Records who did what to which resource, and whether it worked. */
public final class AuditLog {

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public AuditLog(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.json = requireNonNull(json, "json");
    }

    public void record(Caller caller, String action, String resource, String outcome, Map<String, ?> details) {
        String detailsJson;
        try {
            detailsJson = json.writeValueAsString(details);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            detailsJson = "{}";
        }
        String payload = detailsJson;
        jdbi.useHandle(handle -> handle.createUpdate("""
                        insert into audit_log (team_id, key_id, action, resource, outcome, details)
                        values (cast(:team as uuid), cast(:key as uuid), :action, :resource, :outcome, cast(:details as jsonb))""")
                .bind("team", caller == null ? null : caller.teamId())
                .bind("key", caller == null ? null : caller.keyId())
                .bind("action", action)
                .bind("resource", resource)
                .bind("outcome", outcome)
                .bind("details", payload)
                .execute());
    }
}
