package dev.amber.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Prints each figure as it is measured and writes them all as JSON at the end. */
final class Report {

    private final Map<String, Object> figures = new LinkedHashMap<>();

    void context(String name, Object value) {
        figures.put(name, value);
        System.out.printf(Locale.ROOT, "%-44s %s%n", name, value);
    }

    void figure(String name, double value, String unit) {
        figures.put(name, Math.round(value * 100) / 100.0);
        System.out.printf(Locale.ROOT, "%-44s %10.2f %s%n", name, value, unit);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        System.out.println("figures written to " + file);
    }
}
