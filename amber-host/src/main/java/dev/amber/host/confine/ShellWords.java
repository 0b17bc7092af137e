package dev.amber.host.confine;

/** Quoting for the few words of the launch wrapper's shell scripts. */
final class ShellWords {

    private ShellWords() {}

    /** {@code word} as one single-quoted shell word, whatever it holds. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
