package dev.amber.api.team;

/** {@code POST /v1/api-keys}. */
public record CreateApiKeyRequest(String name) {}
