package dev.amber.guest.exec;

import dev.amber.protocol.message.Tags;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The retained output of a tracked process: order, bounds, and what a late reader is told. */
class OutputLogTest {

    private static void append(OutputLog log, int tag, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.append(tag, bytes, 0, bytes.length);
    }

    private static void append(OutputLog log, int tag, int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        log.append(tag, bytes, 0, size);
    }

    private static int bytes(OutputLog.Batch batch, int tag) {
        return batch.pieces().stream().filter(piece -> piece.tag() == tag).mapToInt(piece -> piece.data().length).sum();
    }

    @Test
    void readerFromTheStartGetsStdoutAndStderrInTheOrderProducedThenTheEnd() throws Exception {
        OutputLog log = new OutputLog(OutputLog.DEFAULT_LIMIT);
        append(log, Tags.STDOUT, "one ");
        append(log, Tags.STDOUT, "two ");
        append(log, Tags.STDERR, "oops ");
        append(log, Tags.STDOUT, "three");
        log.finish();

        OutputLog.Batch batch = log.next(OutputLog.Cursor.START, 0);
        assertThat(batch.pieces()).extracting(OutputLog.Piece::tag, piece -> new String(piece.data(), StandardCharsets.UTF_8))
                .containsExactly(tuple(Tags.STDOUT, "one two "),
                        tuple(Tags.STDERR, "oops "),
                        tuple(Tags.STDOUT, "three"));
        assertThat(batch.finished()).isFalse();
        assertThat(log.next(batch.cursor(), 0).finished()).isTrue();
    }

    @Test
    void readerThatFellBehindTheBoundIsToldHowMuchOfEachStreamWasDropped() throws Exception {
        OutputLog log = new OutputLog(64 * 1024);
        for (int i = 0; i < 10; i++) {
            append(log, Tags.STDOUT, 16 * 1024);
            append(log, Tags.STDERR, 100);
        }

        OutputLog.Batch batch = log.next(OutputLog.Cursor.START, 0);

        assertThat(batch.droppedStdout() + bytes(batch, Tags.STDOUT)).isEqualTo(10 * 16 * 1024);
        assertThat(bytes(batch, Tags.STDOUT)).isLessThanOrEqualTo(64 * 1024).isPositive();
        assertThat(batch.droppedStdout()).isPositive();
        assertThat(batch.droppedStderr()).isZero();
        assertThat(bytes(batch, Tags.STDERR)).isEqualTo(1000);
    }

    @Test
    void readerKeepingUpIsNeverToldOfDropsAndSeesAChunkGrow() throws Exception {
        OutputLog log = new OutputLog(1024);
        append(log, Tags.STDOUT, "ab");
        OutputLog.Batch first = log.next(OutputLog.Cursor.START, 0);
        append(log, Tags.STDOUT, "cd"); // joined to the chunk the reader is in

        OutputLog.Batch second = log.next(first.cursor(), 0);

        assertThat(new String(second.pieces().getFirst().data(), StandardCharsets.UTF_8)).isEqualTo("cd");
        assertThat(second.droppedStdout()).isZero();
    }

    @Test
    void manyTinyWritesAreBoundedByTheirBookkeepingToo() throws Exception {
        OutputLog log = new OutputLog(8 * 1024);
        for (int i = 0; i < 5_000; i++) {
            append(log, i % 2 == 0 ? Tags.STDOUT : Tags.STDERR, "k"); // alternating: no two reads join
        }

        OutputLog.Batch batch = log.next(OutputLog.Cursor.START, 0);

        assertThat(bytes(batch, Tags.STDOUT)).isLessThan(8 * 1024 / 64);
        assertThat(batch.droppedStdout() + bytes(batch, Tags.STDOUT)).isEqualTo(2_500);
    }

    @Test
    void outputAfterTheLogIsFinishedIsIgnored() throws Exception {
        OutputLog log = new OutputLog(1024);
        log.finish();
        append(log, Tags.STDOUT, "from a child that outlived its process");

        assertThat(log.next(OutputLog.Cursor.START, 0).pieces()).isEmpty();
    }
}
