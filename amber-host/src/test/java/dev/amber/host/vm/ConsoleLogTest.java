package dev.amber.host.vm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLogTest {

    @TempDir
    Path dir;

    @Test
    void anOverLongConsoleKeepsItsNewestHalfAsideAndAnAppendingWriterStartsAgainAtZero() throws IOException {
        Path console = dir.resolve("console.log");
        try (FileChannel qemu = FileChannel.open(console, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            qemu.write(ByteBuffer.wrap("old line\n".repeat(200).getBytes(StandardCharsets.UTF_8)));
            qemu.write(ByteBuffer.wrap("newest\n".getBytes(StandardCharsets.UTF_8)));

            assertThat(ConsoleLog.rotateIfOver(console, 1000)).isTrue();
            qemu.write(ByteBuffer.wrap("after\n".getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(Files.readString(console)).isEqualTo("after\n");
        assertThat(Files.size(ConsoleLog.rotated(console))).isEqualTo(500);
        assertThat(Files.readString(ConsoleLog.rotated(console))).endsWith("old line\nnewest\n");
    }

    @Test
    void aConsoleWithinTheCapOrNotYetCreatedIsLeftAlone() throws IOException {
        Path console = dir.resolve("console.log");
        assertThat(ConsoleLog.rotateIfOver(console, 1000)).isFalse();
        Files.writeString(console, "booted\n");
        assertThat(ConsoleLog.rotateIfOver(console, 1000)).isFalse();
        assertThat(Files.readString(console)).isEqualTo("booted\n");
    }
}
