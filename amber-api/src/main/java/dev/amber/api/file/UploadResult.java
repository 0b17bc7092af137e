package dev.amber.api.file;

/** The answer to an upload: where it went and how many bytes arrived. */
public record UploadResult(String path, long size) {}
