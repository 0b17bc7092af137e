package dev.amber.cli.template;

import picocli.CommandLine.Command;

/** {@code amber template}: only a group; its subcommands do the work. */
@Command(name = "template",
        description = "Build templates from recipes, list and remove them; start sandboxes from them with "
                + "'amber sandbox create --template NAME'.",
        subcommands = {
                BuildTemplateCommand.class,
                BuildLogsCommand.class,
                ListTemplatesCommand.class,
                RemoveTemplateCommand.class,
        })
public final class TemplateCommand {
}
