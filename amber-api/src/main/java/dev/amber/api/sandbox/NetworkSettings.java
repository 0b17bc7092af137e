package dev.amber.api.sandbox;

import dev.amber.api.Copies;

import java.util.List;

/**
 * A sandbox's network: its egress policy and who may reach its ports. {@code internet} (default
 * true) lets it reach public addresses; {@code allowOut} and {@code denyOut} are IPv4 CIDRs (a deny
 * wins; sandboxes have no IPv6 route). Private ranges are reachable only through an {@code allowOut}
 * entry, which the server accepts only where the operator allows private egress; the host, other
 * sandboxes, loopback and the link-local metadata address never are (see
 * {@link dev.amber.api.network.NonPublicRange}).
 * {@code publicPorts} (default true): its ports are reachable by host name without a token; when
 * false, such requests must carry the sandbox's port token (X-Amber-Port-Token). Clients build one
 * with {@link #builder()}.
 */
public record NetworkSettings(Boolean internet, List<String> allowOut, List<String> denyOut, Boolean publicPorts) {

    public static final NetworkSettings DEFAULT = new NetworkSettings(true, List.of(), List.of(), true);

    /** Settings with nothing set: every field takes its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Absent fields take their defaults. */
    public NetworkSettings normalized() {
        return new NetworkSettings(internet == null || internet, allowOut == null ? List.of() : List.copyOf(allowOut),
                denyOut == null ? List.of() : List.copyOf(denyOut), portsArePublic());
    }

    /** Whether its ports need no token by host name (settings stored before the field existed: yes). */
    public boolean portsArePublic() {
        return publicPorts == null || publicPorts;
    }

    /** Sets what {@link NetworkSettings} say; a field never set (or set to null) takes its default. */
    public static final class Builder {

        private Boolean internet;
        private List<String> allowOut;
        private List<String> denyOut;
        private Boolean publicPorts;

        private Builder() {}

        /** Whether it reaches public addresses. */
        public Builder internet(Boolean value) {
            internet = value;
            return this;
        }

        /** IPv4 CIDRs it may reach even with {@code internet} false (private ones where the operator allows). */
        public Builder allowOut(List<String> cidrs) {
            allowOut = Copies.of(cidrs);
            return this;
        }

        /** IPv4 CIDRs it may never reach; a deny wins over an allow. */
        public Builder denyOut(List<String> cidrs) {
            denyOut = Copies.of(cidrs);
            return this;
        }

        /** False: a request to its ports by host name needs the sandbox's port token. */
        public Builder publicPorts(Boolean value) {
            publicPorts = value;
            return this;
        }

        public NetworkSettings build() {
            return new NetworkSettings(internet, allowOut, denyOut, publicPorts);
        }
    }
}
