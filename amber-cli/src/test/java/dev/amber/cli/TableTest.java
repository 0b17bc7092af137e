package dev.amber.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCell() {
        StringWriter text = new StringWriter();

        new Table("ID", "STATE", "CREATED")
                .row("sb-1", "running", "2026-01-01T00:00:00Z")
                .row("sb-22222", "stopped", "-")
                .print(new PrintWriter(text));

        assertThat(text.toString().lines()).containsExactly(
                "ID        STATE    CREATED",
                "sb-1      running  2026-01-01T00:00:00Z",
                "sb-22222  stopped  -");
    }

    @Test
    void rowsMustFillEveryColumn() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
