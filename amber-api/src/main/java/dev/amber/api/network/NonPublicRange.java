package dev.amber.api.network;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An IPv4 range that is not the public internet, so a sandbox does not reach it by default. Some can
 * never be reached (loopback, link-local with the cloud metadata address, Amber's own links, ...);
 * the private ones can be named in {@code allowOut} only where the operator allows private egress
 * ({@code AMBER_ALLOW_PRIVATE_EGRESS=1}). The host's firewall and the API's checks both read this
 * list, so what the API accepts is what the firewall lets through.
 */
public record NonPublicRange(Cidr cidr, String what, boolean operatorMayAllow) {

    /** The /30 links between each sandbox's namespace and the host (inside carrier-grade NAT space). */
    public static final Cidr AMBER_LINKS = Cidr.parse("100.72.0.0/16");

    /** An entry is named after the first of these it overlaps. */
    public static final List<NonPublicRange> ALL = List.of(
            never("0.0.0.0/8", "\"this network\""),
            never("127.0.0.0/8", "loopback"),
            never("169.254.0.0/16", "link-local, with the cloud metadata address 169.254.169.254"),
            new NonPublicRange(AMBER_LINKS, "Amber's links between sandboxes and the host", false),
            never("224.0.0.0/4", "multicast"),
            never("240.0.0.0/4", "reserved, with the broadcast address"),
            operatorMayAllow("10.0.0.0/8", "private"),
            operatorMayAllow("172.16.0.0/12", "private"),
            operatorMayAllow("192.168.0.0/16", "private"),
            operatorMayAllow("100.64.0.0/10", "carrier-grade NAT"));

    public NonPublicRange {
        requireNonNull(cidr, "cidr");
        requireNonNull(what, "what");
    }

    /**
     * The first range sharing an address with {@code cidr} that an {@code allowOut} entry may not
     * open: any of them, or, where the operator allows private egress, those that are never reachable.
     */
    public static Optional<NonPublicRange> closedTo(Cidr cidr, boolean privateEgressAllowed) {
        requireNonNull(cidr, "cidr");
        return ALL.stream().filter(range -> range.cidr.overlaps(cidr))
                .filter(range -> !(range.operatorMayAllow && privateEgressAllowed)).findFirst();
    }

    private static NonPublicRange never(String cidr, String what) {
        return new NonPublicRange(Cidr.parse(cidr), what, false);
    }

    private static NonPublicRange operatorMayAllow(String cidr, String what) {
        return new NonPublicRange(Cidr.parse(cidr), what, true);
    }
}
