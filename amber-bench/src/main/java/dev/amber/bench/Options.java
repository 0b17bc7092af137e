package dev.amber.bench;

import java.util.List;

/** {@code --name value} pairs from the command line. */
record Options(List<String> args) {

    String text(String name, String fallback) {
        int index = args.indexOf(name);
        return index >= 0 && index + 1 < args.size() ? args.get(index + 1) : fallback;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }
}
