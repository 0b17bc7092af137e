package dev.amber.api.team;

import java.time.Instant;

public record TeamView(String id, String name, Instant createdAt) {}
