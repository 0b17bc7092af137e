package dev.amber.server.process;

import dev.amber.api.error.ApiException;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as users write them: TERM, SIGTERM, sigterm or 15. */
final class Signals {

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20),
            Map.entry("WINCH", 28));

    private Signals() {}

    static int parse(String signal) {
        if (signal == null || signal.isBlank()) {
            throw ApiException.badRequest("signal is required: a name (" + String.join(", ", BY_NAME.keySet().stream()
                    .sorted().toList()) + ") or a number from 1 to 64");
        }
        String name = signal.strip().toUpperCase(Locale.ROOT);
        if (name.chars().allMatch(Character::isDigit) && name.length() <= 2) {
            int number = Integer.parseInt(name);
            if (number >= 1 && number <= 64) {
                return number;
            }
        }
        Integer number = BY_NAME.get(name.startsWith("SIG") ? name.substring(3) : name);
        if (number == null) {
            throw ApiException.badRequest("unknown signal \"" + signal + "\": give a name (" + String.join(", ",
                    BY_NAME.keySet().stream().sorted().toList()) + ") or a number from 1 to 64");
        }
        return number;
    }
}
