package dev.amber.server.sandbox;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.network.Cidr;
import dev.amber.api.network.NonPublicRange;
import dev.amber.api.sandbox.NetworkSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses an egress policy that would open what a sandbox must not reach, before any host sees it:
 * an {@code allowOut} entry overlapping a non-public range is a 400 naming the entry and the range,
 * unless the range is private and the operator allows private egress
 * ({@code AMBER_ALLOW_PRIVATE_EGRESS=1}). Deny entries may name anything.
 */
public record EgressCheck(boolean privateEgressAllowed) {

    /** The policy with defaults filled in, or a 400 naming the first entry that cannot be. */
    NetworkSettings check(NetworkSettings requested) {
        NetworkSettings network = requested.normalized();
        List<Cidr> allowed = parse("allowOut", network.allowOut());
        parse("denyOut", network.denyOut());
        for (int i = 0; i < allowed.size(); i++) {
            String entry = network.allowOut().get(i);
            NonPublicRange.closedTo(allowed.get(i), privateEgressAllowed).ifPresent(range -> {
                throw refused(entry, range);
            });
        }
        return network;
    }

    private static List<Cidr> parse(String field, List<String> entries) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : entries) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "network." + field + ": " + e.getMessage(),
                        Map.of("field", "network." + field, "entry", String.valueOf(entry)));
            }
            // the firewall writes each list as one nftables set, which refuses overlapping elements
            for (int i = 0; i < cidrs.size(); i++) {
                if (cidrs.get(i).overlaps(cidr)) {
                    throw new ApiException(ErrorCode.BAD_REQUEST, "network." + field + ": \"" + entries.get(i)
                            + "\" and \"" + entry + "\" overlap; list the wider one only",
                            Map.of("field", "network." + field, "entry", entry));
                }
            }
            cidrs.add(cidr);
        }
        return cidrs;
    }

    private static ApiException refused(String entry, NonPublicRange range) {
        String what = "network.allowOut: \"" + entry + "\" overlaps " + range.cidr() + " (" + range.what() + ")";
        String message = range.operatorMayAllow()
                ? what + ", which sandboxes reach only where the operator allows private egress"
                + " (AMBER_ALLOW_PRIVATE_EGRESS=1); for public addresses use \"internet\": true"
                : what + ", which a sandbox can never reach";
        return new ApiException(ErrorCode.BAD_REQUEST, message,
                Map.of("field", "network.allowOut", "entry", entry, "range", range.cidr().toString()));
    }
}
