package dev.amber.api.file;

/** {@code POST /v1/sandboxes/{id}/files/mkdir}: parents are created too; {@code mode} in octal, default 755. */
public record MkdirRequest(String path, String mode) {}
