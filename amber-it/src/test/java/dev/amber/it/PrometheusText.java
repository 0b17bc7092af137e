package dev.amber.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4): every line must be a HELP or
 * TYPE comment or a sample {@code name{label="value",...} number}, every sample's family must have
 * been typed first, and a family is typed once. Anything else fails the parse.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("(" + NAME + ")=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {}

    final Map<String, String> types = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        for (String line : text.split("\n")) {
            parsed.line(line);
        }
        return parsed;
    }

    private void line(String line) {
        if (line.isEmpty() || HELP.matcher(line).matches()) {
            return;
        }
        Matcher type = TYPE.matcher(line);
        if (type.matches()) {
            if (types.put(type.group(1), type.group(2)) != null) {
                throw new IllegalArgumentException("family typed twice: " + line);
            }
            return;
        }
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.matches()) {
            throw new IllegalArgumentException("not a sample line: " + line);
        }
        String name = sample.group(1);
        if (types.keySet().stream().noneMatch(family -> name.equals(family) || name.startsWith(family + "_"))) {
            throw new IllegalArgumentException("sample of an untyped family: " + line);
        }
        samples.add(new Sample(name, labels(sample.group(3), line), value(sample.group(4), line)));
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (label.find() && label.start() == end) {
            labels.put(label.group(1), label.group(2));
            end = label.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("malformed labels: " + line);
        }
        return labels;
    }

    private static double value(String text, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: " + line);
                }
            }
        };
    }

    /** The value of the one sample named {@code name} with these labels (among others). */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in the scrape"));
    }
}
