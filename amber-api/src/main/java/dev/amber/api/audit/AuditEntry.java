package dev.amber.api.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit log: who ({@code teamId}, {@code keyId}; null for the platform's own
 * work, such as the inactivity reaper's pauses) did {@code action} (such as {@code sandbox.create})
 * to {@code resource}, with what {@code outcome} ({@code ok}, {@code failed}, {@code queued}).
 */
public record AuditEntry(long id, Instant at, String teamId, String keyId, String action, String resource,
                         String outcome, Map<String, Object> details) {

    public AuditEntry {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
