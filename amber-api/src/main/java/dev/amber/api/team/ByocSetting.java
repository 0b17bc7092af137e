package dev.amber.api.team;

/** {@code PUT /v1/admin/teams/{id}/byoc}: whether the team may bring its own hosts. */
public record ByocSetting(Boolean enabled) {}
