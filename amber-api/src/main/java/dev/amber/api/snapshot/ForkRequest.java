package dev.amber.api.snapshot;

/** {@code POST /v1/sandboxes/{id}/fork}: how many copies (default 1). */
public record ForkRequest(Integer count) {}
