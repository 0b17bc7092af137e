package dev.amber.cli.files;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code amber files get}: downloads a file, streamed to disk, with a progress bar on a terminal. */
@Command(name = "get", description = "Download a file from a sandbox, replacing the local file.")
final class GetFileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Parameters(index = "1", paramLabel = "<remote-path>", description = "Absolute path inside the sandbox.")
    String remotePath;

    @Parameters(index = "2", paramLabel = "<local-file>", description = "Where to write it.")
    Path localFile;

    @Override
    public Integer call() throws IOException {
        try (Amber amber = connection.connect()) {
            ProgressBar progress = ProgressBar.onStderr();
            amber.sandboxes().get(id).files().download(remotePath, localFile, progress);
            progress.finish();
        }
        spec.commandLine().getOut().println("downloaded " + Files.size(localFile) + " bytes to " + localFile);
        return 0;
    }
}
