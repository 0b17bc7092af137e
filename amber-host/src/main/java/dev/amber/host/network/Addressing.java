package dev.amber.host.network;

import dev.amber.api.network.NonPublicRange;

/**
 * Names and addresses. Every sandbox's guest sees the same network (clones of one snapshot share
 * their MAC and IP), so each lives in a namespace of its own; only the link from that namespace to
 * the host differs, and it comes from a range Amber owns.
 */
final class Addressing {

    /** Inside every namespace: the guest's side. */
    static final String TAP = "tap0";
    static final String UPLINK = "uplink";
    static final String GUEST_ADDRESS = "10.127.0.2";
    static final String GATEWAY_ADDRESS = "10.127.0.1";
    static final int GUEST_PREFIX = 30;
    static final String GUEST_MAC = "52:54:00:a7:00:02";
    /**
     * The gateway's (the tap's) MAC, fixed too: a restored guest keeps the gateway's MAC in its ARP
     * cache, and a tap with a new random one would swallow its traffic until the entry went stale.
     */
    static final String GATEWAY_MAC = "52:54:00:a7:00:01";

    /** Host-side veth names start with this (max 15 characters in all). */
    static final String HOST_LINK_PREFIX = "av";
    /** Links between namespaces and the host: one /30 per sandbox (the API refuses it in policies). */
    static final String LINK_RANGE = NonPublicRange.AMBER_LINKS.toString();
    static final int LINK_SLOTS = 1 << 14;

    private Addressing() {}

    /** The /30 of slot {@code n}: host side .1, namespace side .2. */
    static String linkAddress(int slot, int host) {
        int base = (100 << 24) | (72 << 16) | (slot << 2);
        int address = base + host;
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
