package dev.amber.host.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The end of a log file, for error messages: what QEMU or the guest said last. */
public final class LogTail {

    private LogTail() {}

    /** The last {@code lines} non-empty lines of {@code file}, or "" when it cannot be read. */
    public static String of(Path file, int lines) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int window = (int) Math.min(length, 16 * 1024);
            byte[] bytes = new byte[window];
            in.seek(length - window);
            in.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\e\\[[0-9;?]*[a-zA-Z]", "").split("\\R");
            return Arrays.stream(all).map(String::strip).filter(line -> !line.isEmpty())
                    .skip(Math.max(0, Arrays.stream(all).filter(line -> !line.isBlank()).count() - lines))
                    .collect(Collectors.joining(" | "));
        } catch (IOException e) {
            return "";
        }
    }
}
