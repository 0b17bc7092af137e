package dev.amber.store;

import java.time.Instant;

/** One object in the bucket, as a listing shows it. */
public record StoredObject(String key, long bytes, Instant lastModified) {}
