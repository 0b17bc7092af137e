package dev.amber.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CellsTest {

    @Test
    void absentValuesAreADash() {
        assertThat(Cells.text(null)).isEqualTo("-");
        assertThat(Cells.text("")).isEqualTo("-");
        assertThat(Cells.time(null)).isEqualTo("-");
        assertThat(Cells.bytes(null)).isEqualTo("-");
    }

    @Test
    void timesAreToTheSecondAndSizesInMebibytes() {
        assertThat(Cells.time(Instant.parse("2026-01-01T00:00:00.987Z"))).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Cells.bytes(1_572_864L)).isEqualTo("1.5 MiB");
        assertThat(Cells.text("snap-1")).isEqualTo("snap-1");
    }
}
