package dev.amber.host.vm;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLineReaderTest {

    @Test
    void aLineOverTheLimitIsSkippedWholeAndTheNextOneIsRead() throws IOException {
        String input = "{\"return\": {}}\n" + "x".repeat(100) + "\n{\"event\": \"STOP\"}\n";
        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 32);

        assertThat(reader.readLine()).isEqualTo("{\"return\": {}}");
        assertThat(reader.readLine()).isEqualTo("{\"event\": \"STOP\"}");
        assertThat(reader.readLine()).isNull();
    }
}
