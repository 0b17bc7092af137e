package dev.amber.cli.files;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    @Test
    void aLineShowsTheBarThePercentageTheBytesAndTheRate() {
        ProgressBar bar = new ProgressBar(System.err, false);
        String half = bar.line(512L << 20, 1L << 30, System.nanoTime());

        assertThat(half).startsWith("[" + "#".repeat(15) + ".".repeat(15) + "]  50%  512.0 MiB / 1.0 GiB  ")
                .endsWith("/s");
        assertThat(bar.line(100, -1, System.nanoTime())).startsWith("100 B  ");
    }

    @Test
    void itDrawsOnlyOnATerminalAndEndsItsLine() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ProgressBar shown = new ProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8), true);
        shown.update(1L << 20, 2L << 20);
        shown.finish();
        assertThat(terminal.toString(StandardCharsets.UTF_8)).startsWith("\r[").contains(" 50%").endsWith("\n");

        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        ProgressBar hidden = new ProgressBar(new PrintStream(pipe, true, StandardCharsets.UTF_8), false);
        hidden.update(1, 2);
        hidden.finish();
        assertThat(pipe.size()).isZero();
    }
}
