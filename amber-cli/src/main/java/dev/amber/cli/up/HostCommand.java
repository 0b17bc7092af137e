package dev.amber.cli.up;

import picocli.CommandLine.Command;

/** `amber host …`: running this machine as a host of a control plane elsewhere. */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = "Run this machine as a host of an Amber server (docs/hosts.md).",
        subcommands = {HostJoinCommand.class})
public final class HostCommand {
}
