package dev.amber.server.host;

/** What a host says about itself when it joins or registers, checked the same way both times. */
public final class HostRequestChecks {

    private HostRequestChecks() {}

    public static String requireName(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a host must register with a name (e.g. its hostname)");
        }
        return name;
    }

    /** Checked here so that a typo fails the registration, not every later call to the host. */
    public static String requireAddress(String address) {
        int colon = address.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address must be host:port where the host's agent listens, got \""
                    + address + "\"");
        }
        return address;
    }
}
