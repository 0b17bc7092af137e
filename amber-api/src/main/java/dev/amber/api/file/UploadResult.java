package dev.amber.api.file;

/** The answer to an upload: where it went, how many bytes arrived and their SHA-256 (hex), to compare with what was sent. */
public record UploadResult(String path, long size, String sha256) {}
