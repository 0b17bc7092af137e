package dev.amber.protocol.message;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTest {

    @Test
    void everyRequestSurvivesEncoding() throws Exception {
        List<Request> requests = List.of(
                new Request.Exec(List.of("sh", "-c", "echo hi"), Map.of("A", "1"), "/tmp", "amber", 5000),
                new Request.Exec(List.of("true"), Map.of(), null, null, 0),
                new Request.ReadFile("/etc/hostname", 10, -1),
                new Request.WriteFile("/tmp/x", 0644),
                new Request.ListDirectory("/"),
                new Request.Stat("/etc"),
                new Request.MakeDirectory("/a/b/c", 0755),
                new Request.Remove("/a", true),
                new Request.Move("/a", "/b"),
                new Request.Health(),
                new Request.SetClock(1_700_000_000_000L),
                new Request.Connect(8000),
                new Request.Start(List.of("bash", "-l"), Map.of("TERM", "xterm"), "/root", "amber", 0, "shell", true,
                        new WindowSize(24, 80)),
                new Request.Start(List.of("true"), Map.of(), null, null, 1000, null, false, null),
                new Request.Attach(4242),
                new Request.ListProcesses(),
                new Request.Signal(4242, 15));
        for (Request request : requests) {
            assertThat(Request.decode(request.encode())).isEqualTo(request);
        }
        Request.Reseed reseed = (Request.Reseed) Request.decode(new Request.Reseed(new byte[] {1, 2, 3}).encode());
        assertThat(reseed.entropy()).containsExactly(1, 2, 3);
    }

    @Test
    void processInfoAndTerminalSizesSurviveEncodingAndBadSizesAreRefused() throws Exception {
        ProcessInfo running = new ProcessInfo(7, List.of("sleep", "9"), null, false, true, 1_700_000_000_000L, null);
        ProcessInfo exited = new ProcessInfo(8, List.of("bash"), "shell", true, false, 1L, new ExecExit(143, 15, false, 20));
        assertThat(ProcessInfo.decodeList(ProcessInfo.encodeList(List.of(running, exited)))).containsExactly(running, exited);
        assertThat(WindowSize.decode(new WindowSize(40, 132).encode())).isEqualTo(new WindowSize(40, 132));
        assertThatThrownBy(() -> new WindowSize(0, 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Request.decode(new byte[] {17, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 99}))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("signal must be 1-64");
    }

    @Test
    void truncatedOrLyingMessagesFailAsProtocolErrors() {
        byte[] valid = new Request.Stat("/etc/passwd").encode();
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
        byte[] hugeLength = {5, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        assertThatThrownBy(() -> Request.decode(truncated)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Request.decode(hugeLength)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Request.decode(new byte[] {99})).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown request kind 99");
        assertThatThrownBy(() -> Request.decode(new byte[0])).isInstanceOf(ProtocolException.class);
    }
}
