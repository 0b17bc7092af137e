package dev.amber.api.sandbox;

import dev.amber.api.Copies;

import java.util.Map;

/**
 * {@code PATCH /v1/sandboxes/{id}}: the settings that may change while a sandbox lives. Each field
 * is optional; an absent one is left as it is, and {@code metadata} replaces the whole map. Clients
 * build one with {@link #builder()}.
 */
public record UpdateSandboxRequest(Integer timeoutSec, Boolean autoResume, Map<String, String> metadata) {

    /** A change of nothing yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets what an {@link UpdateSandboxRequest} changes; a field never set (or set to null) is left as it is. */
    public static final class Builder {

        private Integer timeoutSec;
        private Boolean autoResume;
        private Map<String, String> metadata;

        private Builder() {}

        /** Seconds without activity before it pauses (0: never). */
        public Builder timeoutSec(Integer value) {
            timeoutSec = value;
            return this;
        }

        /** Whether an exec or file call wakes it when paused. */
        public Builder autoResume(Boolean value) {
            autoResume = value;
            return this;
        }

        /** Replaces all of its metadata. */
        public Builder metadata(Map<String, String> value) {
            metadata = Copies.of(value);
            return this;
        }

        public UpdateSandboxRequest build() {
            return new UpdateSandboxRequest(timeoutSec, autoResume, metadata);
        }
    }
}
