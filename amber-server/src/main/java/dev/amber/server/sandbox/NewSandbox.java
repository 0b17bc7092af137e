package dev.amber.server.sandbox;

import dev.amber.api.sandbox.NetworkSettings;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A sandbox to create: what it starts from (which also fixes its resources), its settings and the
 * host it was asked to run on ({@code pinnedHost}; empty: placement chooses).
 * Built with {@link #builder(Source)}; what is not set has the API's default. The service checks
 * it (limits, strings, network) before it is recorded.
 */
public record NewSandbox(
        Source source,
        int timeoutSec,
        boolean autoPause,
        boolean autoResume,
        Map<String, String> env,
        Map<String, String> metadata,
        NetworkSettings network,
        Optional<UUID> pinnedHost) {

    public NewSandbox {
        requireNonNull(source, "source");
        requireNonNull(pinnedHost, "pinnedHost");
        requireNonNull(env, "env");
        requireNonNull(metadata, "metadata");
        requireNonNull(network, "network");
    }

    public static Builder builder(Source source) {
        return new Builder(source);
    }

    public Resources resources() {
        return source.resources();
    }

    NewSandbox withNetwork(NetworkSettings checked) {
        return new NewSandbox(source, timeoutSec, autoPause, autoResume, env, metadata, checked, pinnedHost);
    }

    /** A new sandbox's settings, each defaulting as in the API. */
    public static final class Builder {
        private final Source source;
        private int timeoutSec = SandboxLimits.DEFAULT_TIMEOUT_SEC;
        private boolean autoPause = true;
        private boolean autoResume = true;
        private Map<String, String> env = Map.of();
        private Map<String, String> metadata = Map.of();
        private NetworkSettings network = NetworkSettings.DEFAULT;
        private Optional<UUID> pinnedHost = Optional.empty();

        private Builder(Source source) {
            this.source = requireNonNull(source, "a new sandbox needs a source");
        }

        public Builder timeoutSec(int timeoutSec) {
            this.timeoutSec = timeoutSec;
            return this;
        }

        public Builder autoPause(boolean autoPause) {
            this.autoPause = autoPause;
            return this;
        }

        public Builder autoResume(boolean autoResume) {
            this.autoResume = autoResume;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = requireNonNull(env, "env");
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = requireNonNull(metadata, "metadata");
            return this;
        }

        public Builder network(NetworkSettings network) {
            this.network = requireNonNull(network, "network");
            return this;
        }

        /** Runs it on this host rather than where placement would put it (who may pin which host: {@link Placement}). */
        public Builder pinnedHost(UUID hostId) {
            this.pinnedHost = Optional.of(requireNonNull(hostId, "hostId"));
            return this;
        }

        public NewSandbox build() {
            return new NewSandbox(source, timeoutSec, autoPause, autoResume, env, metadata, network, pinnedHost);
        }
    }
}
