package dev.amber.cli.files;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A permission mode written as chmod does: {@code 644} means 0644. */
final class OctalMode implements ITypeConverter<Integer> {

    private static final int MAX = 07777;

    @Override
    public Integer convert(String value) {
        try {
            int mode = Integer.parseInt(value, 8);
            if (mode >= 0 && mode <= MAX) {
                return mode;
            }
        } catch (NumberFormatException e) {
            // Reported below with the range, which says more than the parser would.
        }
        throw new TypeConversionException("'" + value + "' is not an octal mode between 0 and 7777, like 644");
    }
}
