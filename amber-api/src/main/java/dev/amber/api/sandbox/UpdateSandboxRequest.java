package dev.amber.api.sandbox;

import java.util.Map;

/**
 * {@code PATCH /v1/sandboxes/{id}}: the settings that may change while a sandbox lives. Each field
 * is optional; an absent one is left as it is, and {@code metadata} replaces the whole map.
 */
public record UpdateSandboxRequest(Integer timeoutSec, Boolean autoResume, Map<String, String> metadata) {}
