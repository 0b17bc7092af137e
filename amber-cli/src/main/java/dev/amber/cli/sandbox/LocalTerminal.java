package dev.amber.cli.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The user's own terminal while a remote shell runs: put in raw mode (keys go straight through,
 * Ctrl-C included, and the remote side echoes), its size read with stty, and restored at the end.
 * When stdin is not a terminal (a pipe), nothing is changed and the size is the default.
 */
final class LocalTerminal implements AutoCloseable {

    record Size(int rows, int cols) {}

    static final Size DEFAULT_SIZE = new Size(24, 80);
    private static final File TTY = new File("/dev/tty");

    private final String savedSettings;

    private LocalTerminal(String savedSettings) {
        this.savedSettings = savedSettings;
    }

    static LocalTerminal open() {
        if (System.console() == null || !System.console().isTerminal()) {
            return new LocalTerminal(null);
        }
        Optional<String> saved = stty("-g");
        if (saved.isPresent()) {
            stty("raw", "-echo");
        }
        return new LocalTerminal(saved.orElse(null));
    }

    boolean interactive() {
        return savedSettings != null;
    }

    Size size() {
        if (!interactive()) {
            return DEFAULT_SIZE;
        }
        return stty("size").map(text -> text.split("\\s+")).filter(parts -> parts.length == 2)
                .map(parts -> new Size(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])))
                .filter(size -> size.rows() > 0 && size.cols() > 0)
                .orElse(DEFAULT_SIZE);
    }

    @Override
    public void close() {
        if (savedSettings != null) {
            stty(savedSettings);
        }
    }

    private static Optional<String> stty(String... arguments) {
        try {
            Process stty = new ProcessBuilder(concat(arguments)).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return stty.waitFor() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<String> concat(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("stty"));
        command.addAll(List.of(arguments));
        return command;
    }
}
