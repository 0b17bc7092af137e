package dev.amber.api.snapshot;

import dev.amber.api.sandbox.SandboxView;

import java.util.List;

/** The checkpoint a fork was made from, and the new running sandboxes. */
public record ForkResponse(SnapshotView checkpoint, List<SandboxView> sandboxes) {}
