package dev.amber.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The numbers of the lines "line-N" in a process's output, in the order they appear. */
public final class NumberedLines {

    private static final Pattern LINE = Pattern.compile("(?m)^line-(\\d+)\\r?$");

    private NumberedLines() {}

    public static List<Integer> in(String output) {
        List<Integer> numbers = new ArrayList<>();
        Matcher line = LINE.matcher(output);
        while (line.find()) {
            numbers.add(Integer.parseInt(line.group(1)));
        }
        return numbers;
    }
}
