package dev.amber.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Rows printed in left-aligned columns as wide as their widest cell, headers first. */
public final class Table {

    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row needs " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    public void print(PrintWriter out) {
        requireNonNull(out, "out");
        int[] widths = new int[headers.size()];
        for (List<String> line : lines()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                boolean last = i == widths.length - 1;
                text.append(last ? line.get(i) : String.format("%-" + widths[i] + "s", line.get(i)) + GAP);
            }
            out.println(text);
        }
        out.flush();
    }

    private List<List<String>> lines() {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        return all;
    }
}
