package dev.amber.api.template;

import java.time.Instant;

/**
 * A template as the API shows it. {@code kind}: {@code image} (sandboxes boot its root disk, of
 * {@code imageBytes}) or {@code snapshot} (sandboxes restore {@code snapshotId}, processes running).
 * {@code state}: building (first build running), ready or failed ({@code stateReason} says why).
 * {@code buildId}: its latest build.
 */
public record TemplateView(String templateId, String name, String kind, String state, String stateReason,
                           boolean platform, int vcpus, int memoryMb, long diskSizeMb, String snapshotId,
                           Long imageBytes, String buildId, Instant createdAt) {}
