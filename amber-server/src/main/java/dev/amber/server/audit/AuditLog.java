package dev.amber.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.amber.api.audit.AuditEntry;
import dev.amber.server.Ids;
import dev.amber.server.auth.Caller;
import dev.amber.server.db.JsonColumns;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Records who did what to which resource, and whether it worked; lists it for admins. */
public final class AuditLog {

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final JsonColumns columns;

    public AuditLog(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.json = requireNonNull(json, "json");
        this.columns = new JsonColumns(json);
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

    /** Entries that match {@code query}, newest first. */
    public List<AuditEntry> list(AuditQuery query, int offset, int limit) {
        // only the filters given go into the SQL, so that PostgreSQL can use an index for each
        Map<String, Object> filters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        if (query.team() != null) {
            conditions.add("team_id = :team");
            filters.put("team", query.team());
        }
        if (query.action() != null) {
            conditions.add("action = :action");
            filters.put("action", query.action());
        }
        if (query.since() != null) {
            conditions.add("at >= :since");
            filters.put("since", query.since().atOffset(ZoneOffset.UTC));
        }
        if (query.until() != null) {
            conditions.add("at < :until");
            filters.put("until", query.until().atOffset(ZoneOffset.UTC));
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        return jdbi.withHandle(handle -> {
            Query select = handle.createQuery("select id, at, team_id, key_id, action, resource, outcome,"
                            + " details::text as details from audit_log" + where + " order by id desc offset :offset limit :limit")
                    .bind("offset", offset).bind("limit", limit);
            filters.forEach(select::bind);
            return select.map((rs, ctx) -> entry(rs)).list();
        });
    }

    private AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                Ids.TEAM.format(rs.getObject("team_id", UUID.class)), Ids.KEY.format(rs.getObject("key_id", UUID.class)),
                rs.getString("action"), rs.getString("resource"), rs.getString("outcome"),
                columns.read(rs.getString("details"), DETAILS));
    }
}
