package dev.amber.cli.files;

import dev.amber.api.file.UploadResult;
import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code amber files put}: uploads a local file, streamed, with a progress bar on a terminal. */
@Command(name = "put", description = "Upload a local file into a sandbox, replacing any file there.")
final class PutFileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Parameters(index = "1", paramLabel = "<local-file>", description = "The file to upload.")
    Path localFile;

    @Parameters(index = "2", paramLabel = "<remote-path>", description = "Absolute path inside the sandbox.")
    String remotePath;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "644", converter = OctalMode.class,
            description = "Permissions in octal (default: ${DEFAULT-VALUE}).")
    int mode;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(localFile)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + localFile);
        }
        UploadResult result;
        try (Amber amber = connection.connect()) {
            ProgressBar progress = ProgressBar.onStderr();
            result = amber.sandboxes().get(id).files().write(remotePath, localFile, mode, progress);
            progress.finish();
        }
        spec.commandLine().getOut().println("uploaded " + result.size() + " bytes to " + result.path());
        return 0;
    }
}
