package dev.amber.store;

import java.time.Duration;

/**
 * What storing one saved state cost: its files' length, the part that is not zero pages, what was
 * actually sent (chunks the store lacked), in how many chunks, and how long it took.
 */
public record UploadReport(long bytes, long storedBytes, long uploadedBytes, int chunks, int newChunks, int zeroChunks,
                           Duration took) {}
