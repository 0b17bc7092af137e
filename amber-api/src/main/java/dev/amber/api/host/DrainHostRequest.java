package dev.amber.api.host;

/** {@code POST /v1/admin/hosts/{id}/drain}: with {@code pauseSandboxes} its running sandboxes are paused too (memory kept). */
public record DrainHostRequest(Boolean pauseSandboxes) {

    public boolean pausing() {
        return Boolean.TRUE.equals(pauseSandboxes);
    }
}
