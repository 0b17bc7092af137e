package dev.amber.api.sandbox;

import java.util.List;

/**
 * A sandbox's network: its egress policy and who may reach its ports. {@code internet} (default
 * true) lets it reach public addresses; {@code allowOut} and {@code denyOut} are IPv4 CIDRs (a deny
 * wins). Private ranges, the host and other sandboxes are never reachable unless an
 * {@code allowOut} entry names them; the host itself and the link-local metadata address never are.
 * {@code publicPorts} (default true): its ports are reachable by host name without a token; when
 * false, such requests must carry the sandbox's port token (X-Amber-Port-Token).
 */
public record NetworkSettings(Boolean internet, List<String> allowOut, List<String> denyOut, Boolean publicPorts) {

    public static final NetworkSettings DEFAULT = new NetworkSettings(true, List.of(), List.of(), true);

    /** Absent fields take their defaults. */
    public NetworkSettings normalized() {
        return new NetworkSettings(internet == null || internet, allowOut == null ? List.of() : List.copyOf(allowOut),
                denyOut == null ? List.of() : List.copyOf(denyOut), portsArePublic());
    }

    /** Whether its ports need no token by host name (settings stored before the field existed: yes). */
    public boolean portsArePublic() {
        return publicPorts == null || publicPorts;
    }
}
