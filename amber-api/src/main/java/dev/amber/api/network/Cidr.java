package dev.amber.api.network;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 network in CIDR notation, validated: these strings end up in firewall rules. IPv6 is
 * refused with a message saying why: sandboxes have no IPv6 route (their firewall drops every IPv6
 * packet), so an IPv6 entry in a policy could only mislead.
 */
public record Cidr(int address, int prefix) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0-32");
        }
        address &= mask(prefix);
    }

    /** "203.0.113.0/24", or a single address "203.0.113.7" (a /32). */
    public static Cidr parse(String text) {
        Matcher matcher = FORM.matcher(text == null ? "" : text.strip());
        if (!matcher.matches() && text != null && text.indexOf(':') >= 0) {
            throw new IllegalArgumentException("\"" + text + "\" is IPv6: sandboxes have no IPv6 route (every IPv6"
                    + " packet they send is dropped), so policies take IPv4 addresses like 203.0.113.0/24");
        }
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an IPv4 address or CIDR: \"" + text
                    + "\" (domain names are not supported yet; give addresses like 203.0.113.0/24)");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(matcher.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            }
            address = (address << 8) | octet;
        }
        int prefix = matcher.group(5) == null ? 32 : Integer.parseInt(matcher.group(5));
        if (prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0-32 in \"" + text + "\"");
        }
        return new Cidr(address, prefix);
    }

    /** Whether the two networks share an address: for CIDRs, one holds the other. */
    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefix, other.prefix);
        return (address & mask(shorter)) == (other.address & mask(shorter));
    }

    @Override
    public String toString() {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }
}
