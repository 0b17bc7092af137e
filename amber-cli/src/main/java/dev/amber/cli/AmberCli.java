package dev.amber.cli;

import dev.amber.cli.files.FilesCommand;
import dev.amber.cli.host.HostCommand;
import dev.amber.cli.sandbox.SandboxCommand;
import dev.amber.cli.snapshot.SnapshotCommand;
import dev.amber.cli.template.TemplateCommand;
import dev.amber.cli.up.ServerCommand;
import dev.amber.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

/** {@code amber}: the command line entry point. */
@Command(name = "amber",
        description = "Self-hosted microVM sandboxes for AI agents.",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = AmberCli.Version.class,
        // Top-level commands, one line each.
        subcommands = {
                SandboxCommand.class,
                SnapshotCommand.class,
                TemplateCommand.class,
                FilesCommand.class,
                HostCommand.class,
                UpCommand.class,
                ServerCommand.class,
        })
public final class AmberCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests parse and execute with it. */
    public static CommandLine commandLine() {
        ErrorReporter errors = new ErrorReporter();
        return new CommandLine(new AmberCli())
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** The version from the jar's manifest, written there by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AmberCli.class.getPackage().getImplementationVersion();
            return new String[] {"amber " + (version == null ? "(development build)" : version)};
        }
    }
}
