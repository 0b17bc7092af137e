package dev.amber.cli.host;

import picocli.CommandLine.Command;

/** {@code amber host}: only a group; its subcommands do the work. */
@Command(name = "host",
        description = "Bring machines into the cluster: make join tokens for them, and join this machine as a host "
                + "(docs/hosts.md).",
        subcommands = {
                HostTokenCommand.class,
                HostJoinCommand.class,
        })
public final class HostCommand {
}
