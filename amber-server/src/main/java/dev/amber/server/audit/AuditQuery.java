package dev.amber.server.audit;

import java.time.Instant;
import java.util.UUID;

/** Which audit entries to list: each filter is optional (null: any); {@code since} inclusive, {@code until} not. */
public record AuditQuery(UUID team, String action, Instant since, Instant until) {}
