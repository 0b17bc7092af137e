package dev.amber.api.sandbox;

import java.util.List;

/**
 * A sandbox's egress policy: {@code internet} (default true) lets it reach public addresses;
 * {@code allowOut} and {@code denyOut} are IPv4 CIDRs (a deny wins). Private ranges, the host and
 * other sandboxes are never reachable unless an {@code allowOut} entry names them; the host itself
 * and the link-local metadata address never are.
 */
public record NetworkSettings(Boolean internet, List<String> allowOut, List<String> denyOut) {

    public static final NetworkSettings DEFAULT = new NetworkSettings(true, List.of(), List.of());

    /** Absent fields take their defaults. */
    public NetworkSettings normalized() {
        return new NetworkSettings(internet == null || internet, allowOut == null ? List.of() : List.copyOf(allowOut),
                denyOut == null ? List.of() : List.copyOf(denyOut));
    }
}
