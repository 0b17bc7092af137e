package dev.amber.api.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.amber.api.Alternatives;
import dev.amber.api.Copies;
import dev.amber.api.MachineSizeBuilder;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /v1/sandboxes}. Source: at most one of {@code template}, {@code image},
 * {@code snapshotId}; none means the default template. Absent numbers take the source's defaults.
 * {@code timeoutSec} is inactivity before an auto-pause (0 = never); {@code autoResume} (default true)
 * lets an exec or file call wake a paused sandbox; {@code wait} false answers at once, in state
 * {@code creating}, while the sandbox boots (calls on it wait for the boot to end). {@code hostId}
 * pins it to a host (an admin's key: any host; a team's: one of the team's own hosts). Clients build
 * one with {@link #builder()}.
 */
public record CreateSandboxRequest(
        String template,
        Map<String, Object> image,
        String snapshotId,
        List<String> entrypoint,
        Integer vcpus,
        Integer memoryMb,
        Long diskSizeMb,
        Integer timeoutSec,
        Boolean autoPause,
        Map<String, String> env,
        Map<String, String> metadata,
        NetworkSettings network,
        Boolean autoResume,
        @JsonProperty("wait") Boolean waitUntilRunning,
        String hostId) {

    /** A request with nothing set: the default template, its resources, the server's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets what a {@link CreateSandboxRequest} says; a field never set (or set to null) is left out,
     * so the source or the server gives its default. The source is set by one method, at most:
     * {@link #fromTemplate}, {@link #fromSnapshot} or {@link #fromImage}.
     */
    public static final class Builder extends MachineSizeBuilder<Builder> {

        private final Alternatives source = new Alternatives("a sandbox's source");
        private String template;
        private Map<String, Object> image;
        private String snapshotId;
        private List<String> entrypoint;
        private Integer timeoutSec;
        private Boolean autoPause;
        private Map<String, String> env;
        private Map<String, String> metadata;
        private NetworkSettings network;
        private Boolean autoResume;
        private Boolean waitUntilRunning;
        private String hostId;

        private Builder() {}

        /** Starts from template {@code name}, with its resources unless set here. */
        public Builder fromTemplate(String name) {
            source.choose("fromTemplate");
            template = requireNonNull(name, "name");
            return this;
        }

        /** Starts from a snapshot or checkpoint (by id or name), where its sandbox was, with its resources. */
        public Builder fromSnapshot(String snapshotIdOrName) {
            source.choose("fromSnapshot");
            snapshotId = requireNonNull(snapshotIdOrName, "snapshotIdOrName");
            return this;
        }

        /** Boots {@code image} and runs {@code entrypoint} in it (an entrypoint goes with an image only). */
        public Builder fromImage(Map<String, Object> image, List<String> entrypoint) {
            source.choose("fromImage");
            this.image = Copies.of(requireNonNull(image, "image"));
            this.entrypoint = Copies.of(requireNonNull(entrypoint, "entrypoint"));
            return this;
        }

        /** Seconds without activity before it pauses (0: never). */
        public Builder timeoutSec(Integer value) {
            timeoutSec = value;
            return this;
        }

        public Builder autoPause(Boolean value) {
            autoPause = value;
            return this;
        }

        /** Environment of every process started in it. */
        public Builder env(Map<String, String> value) {
            env = Copies.of(value);
            return this;
        }

        /** Labels to find it by ({@code SandboxFilter.withMetadata} in the SDK). */
        public Builder metadata(Map<String, String> value) {
            metadata = Copies.of(value);
            return this;
        }

        public Builder network(NetworkSettings value) {
            network = value;
            return this;
        }

        /** Whether an exec or file call wakes it when paused (false: such a call is a conflict). */
        public Builder autoResume(Boolean value) {
            autoResume = value;
            return this;
        }

        /** False: the server answers at once, in state {@code creating}, while it starts. */
        public Builder waitUntilRunning(Boolean value) {
            waitUntilRunning = value;
            return this;
        }

        /**
         * Runs it on host {@code hostId} ({@code host-…}) instead of where the server would place it:
         * an admin may name any host, a team one of its own hosts.
         */
        public Builder onHost(String value) {
            hostId = value;
            return this;
        }

        /** @throws IllegalStateException when two sources were set */
        public CreateSandboxRequest build() {
            source.requireAtMostOne();
            return new CreateSandboxRequest(template, image, snapshotId, entrypoint, vcpus, memoryMb, diskSizeMb,
                    timeoutSec, autoPause, env, metadata, network, autoResume, waitUntilRunning, hostId);
        }
    }
}
