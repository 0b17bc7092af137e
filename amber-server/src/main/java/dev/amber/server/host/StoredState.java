package dev.amber.server.host;

/**
 * A state a host copied to the object store: the id it is stored under (the snapshot's id, or the
 * sandbox's and its pause's), its bytes, those that are not zero pages, those actually sent
 * (chunks the store lacked), and how long it took.
 */
public record StoredState(String storedId, long bytes, long storedBytes, long uploadedBytes, long durationMs) {}
