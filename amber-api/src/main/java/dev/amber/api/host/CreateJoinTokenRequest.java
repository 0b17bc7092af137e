package dev.amber.api.host;

/**
 * {@code POST /v1/admin/hosts/tokens} and {@code POST /v1/hosts/tokens}: how long the token stays
 * valid, in seconds (null: an hour; at most 7 days).
 */
public record CreateJoinTokenRequest(Integer ttlSec) {}
