package dev.amber.api.team;

/** A new team with its first API key; the secret is shown this once. */
public record CreatedTeam(TeamView team, CreatedApiKey apiKey) {}
