package dev.amber.host.network;

import dev.amber.api.network.Cidr;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a sandbox may reach. {@code internet}: public addresses are reachable (private ranges only
 * when listed in {@code allowOut}). {@code allowOut} and {@code denyOut} are IPv4 CIDRs; a deny wins
 * over an allow. The host itself, loopback, link-local and Amber's own links are unreachable
 * whatever the policy says, and so is anything over IPv6.
 */
public record NetworkPolicy(boolean internet, List<Cidr> allowOut, List<Cidr> denyOut) {

    /** Internet allowed, private ranges and the host denied. */
    public static final NetworkPolicy DEFAULT = new NetworkPolicy(true, List.of(), List.of());

    /** Nothing leaves the sandbox. */
    public static final NetworkPolicy OFFLINE = new NetworkPolicy(false, List.of(), List.of());

    public NetworkPolicy {
        allowOut = List.copyOf(requireNonNull(allowOut, "allowOut"));
        denyOut = List.copyOf(requireNonNull(denyOut, "denyOut"));
    }

    /** Parses CIDR strings as users send them; the message names the first bad one. */
    public static NetworkPolicy of(boolean internet, List<String> allowOut, List<String> denyOut) {
        return new NetworkPolicy(internet, allowOut.stream().map(Cidr::parse).toList(),
                denyOut.stream().map(Cidr::parse).toList());
    }
}
