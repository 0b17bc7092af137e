package dev.amber.cli.sandbox;

import dev.amber.cli.ConnectionOptions;
import dev.amber.sdk.Amber;
import dev.amber.sdk.CommandEvent;
import dev.amber.sdk.CommandHandle;
import dev.amber.sdk.error.AmberException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code amber sandbox shell}: an interactive terminal in a sandbox, as ssh gives one. The local
 * terminal goes raw, keys go to the remote shell, its screen comes back, size changes follow;
 * exiting the shell ends the command with the shell's exit code. Piped input works too: it is
 * typed into the shell, and its end is a Ctrl-D.
 */
@Command(name = "shell", description = "Open an interactive terminal (bash) in a sandbox; exit the shell to leave.")
final class ShellCommand implements Callable<Integer> {

    private static final long RESIZE_POLL_MILLIS = 500;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "<id>", description = "The sandbox.")
    String id;

    @Override
    public Integer call() {
        PrintStream screen = System.out;
        try (Amber amber = connection.connect(); LocalTerminal local = LocalTerminal.open()) {
            LocalTerminal.Size size = local.size();
            try (CommandHandle shell = amber.sandboxes().get(id).commands().terminal(size.rows(), size.cols(), event -> {
                if (event instanceof CommandEvent.Stdout output) {
                    screen.write(output.data(), 0, output.data().length);
                    screen.flush();
                }
            })) {
                Thread.ofPlatform().daemon().name("shell-keys").start(() -> forwardKeys(System.in, shell));
                if (local.interactive()) {
                    Thread.ofVirtual().name("shell-size").start(() -> followSize(local, shell, size));
                }
                return shell.waitForExit(Duration.ofDays(365)).exitCode();
            }
        }
    }

    private static void forwardKeys(InputStream keys, CommandHandle shell) {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = keys.read(buffer)) >= 0) {
                if (n > 0) {
                    shell.write(java.util.Arrays.copyOf(buffer, n));
                }
            }
            shell.closeStdin();
        } catch (IOException | AmberException e) {
            // the shell is gone; waitForExit reports how it ended
        }
    }

    private static void followSize(LocalTerminal local, CommandHandle shell, LocalTerminal.Size initial) {
        LocalTerminal.Size current = initial;
        try {
            while (true) {
                Thread.sleep(RESIZE_POLL_MILLIS);
                LocalTerminal.Size now = local.size();
                if (!now.equals(current)) {
                    shell.resize(now.rows(), now.cols());
                    current = now;
                }
            }
        } catch (InterruptedException | AmberException e) {
            // the shell is gone
        }
    }
}
