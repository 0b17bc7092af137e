package dev.amber.api.file;

/** {@code POST /v1/sandboxes/{id}/files/move}. */
public record MoveRequest(String from, String to) {}
