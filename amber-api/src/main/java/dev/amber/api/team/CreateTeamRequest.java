package dev.amber.api.team;

/** {@code POST /v1/admin/teams}. */
public record CreateTeamRequest(String name) {}
