package dev.amber.cli.files;

import picocli.CommandLine.Command;

/** {@code amber files}: only a group; its subcommands do the work. */
@Command(name = "files",
        description = "Copy files into and out of sandboxes.",
        subcommands = {
                PutFileCommand.class,
                GetFileCommand.class,
        })
public final class FilesCommand {
}
