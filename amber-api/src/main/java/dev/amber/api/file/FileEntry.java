package dev.amber.api.file;

import java.time.Instant;

/** A file or directory in a sandbox. {@code type}: file, directory, symlink or other; {@code mode} in octal. */
public record FileEntry(String name, String path, String type, long size, String mode, Instant modifiedAt, String owner) {}
