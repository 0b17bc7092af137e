package dev.amber.cli.host;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One server's link port as {@code --server} lists it: host:port, the host a name, an IPv4 or a bracketed IPv6 address. */
final class LinkAddress implements ITypeConverter<String> {

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");

    @Override
    public String convert(String value) {
        String address = value.strip();
        Matcher matcher = HOST_PORT.matcher(address);
        if (matcher.matches()) {
            int port = Integer.parseInt(matcher.group(2));
            if (port >= 1 && port <= 65535) {
                return address;
            }
        }
        throw new TypeConversionException("'" + value + "' is not a server's link address host:port, like 10.0.0.1:7071"
                + " (list each server replica's, separated by commas)");
    }
}
