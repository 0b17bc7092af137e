package dev.amber.cli.sandbox;

import picocli.CommandLine.Command;

/** {@code amber sandbox}: only a group; its subcommands do the work. */
@Command(name = "sandbox",
        description = "Create, list, run commands in, pause, checkpoint, fork, snapshot and remove sandboxes.",
        subcommands = {
                CreateSandboxCommand.class,
                ListSandboxesCommand.class,
                ExecCommand.class,
                ShellCommand.class,
                PauseSandboxCommand.class,
                ResumeSandboxCommand.class,
                CheckpointCommand.class,
                RestoreCommand.class,
                ForkCommand.class,
                SnapshotSandboxCommand.class,
                RemoveSandboxCommand.class,
        })
public final class SandboxCommand {
}
