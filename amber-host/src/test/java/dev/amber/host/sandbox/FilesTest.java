package dev.amber.host.sandbox;

import dev.amber.host.RandomStream;
import dev.amber.host.TestRuntime;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ExecCommand;
import dev.amber.host.agent.GuestOperationException;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.FileInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesTest {

    private static Sandbox sandbox;
    private static AgentClient agent;

    @BeforeAll
    static void boot() throws Exception {
        sandbox = TestRuntime.boot();
        agent = sandbox.agent();
    }

    @AfterAll
    static void destroy() throws Exception {
        TestRuntime.get().destroy(sandbox.id());
    }

    @Test
    void twoHundredMegabytesGoInAndComeBackByteIdentical() throws Exception {
        long size = 200L * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long written = agent.upload("/root/upload.bin", 0600, new RandomStream(size, 42, sent));
        assertThat(written).isEqualTo(size);

        String guestSum = agent.run(ExecCommand.shell("sha256sum /root/upload.bin | cut -d' ' -f1"), null).stdoutText().strip();
        assertThat(guestSum).isEqualTo(HexFormat.of().formatHex(sent.digest()));

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        FileInfo info = agent.download("/root/upload.bin", new DigestOutputStream(OutputStream.nullOutputStream(), received));
        assertThat(info.size()).isEqualTo(size);
        assertThat(info.mode()).isEqualTo(0600);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(guestSum);
    }

    @Test
    void directoryOperationsWork() throws Exception {
        FileInfo made = agent.mkdir("/srv/app/data/deep", 0750);
        assertThat(made.type()).isEqualTo(FileInfo.Type.DIRECTORY);
        assertThat(made.mode()).isEqualTo(0750);
        agent.upload("/srv/app/data/a.txt", 0644, text("alpha"));
        agent.upload("/srv/app/data/b.txt", 0755, text("beta!"));

        List<FileInfo> listing = agent.list("/srv/app/data");
        assertThat(listing).extracting(FileInfo::name).containsExactly("a.txt", "b.txt", "deep");
        assertThat(listing.get(1).mode()).isEqualTo(0755);
        assertThat(listing.get(1).size()).isEqualTo(5);

        FileInfo moved = agent.move("/srv/app/data/a.txt", "/srv/app/data/deep/c.txt");
        assertThat(moved.name()).isEqualTo("c.txt");
        assertThat(read("/srv/app/data/deep/c.txt")).isEqualTo("alpha");
        assertThat(agent.stat("/srv/app/data/deep/c.txt").size()).isEqualTo(5);

        assertThatThrownBy(() -> agent.remove("/srv/app", false))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIRECTORY_NOT_EMPTY));
        assertThat(agent.remove("/srv/app", true)).isEqualTo(5); // app, data, deep, deep/c.txt, b.txt
        assertThat(agent.list("/srv")).isEmpty();
    }

    @Test
    void uploadReplacesAnExistingFileAtomically() throws Exception {
        agent.upload("/root/replace.txt", 0644, text("first version"));
        agent.upload("/root/replace.txt", 0644, text("second"));

        assertThat(read("/root/replace.txt")).isEqualTo("second");
        assertThat(agent.list("/root")).extracting(FileInfo::name).noneMatch(name -> name.startsWith(".amber-upload"));
    }

    @Test
    void missingPathsFailFastWithNotFound() throws Exception {
        long started = System.nanoTime();
        assertThatThrownBy(() -> agent.download("/no/such/file", new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("/no/such/file");
        assertThatThrownBy(() -> agent.stat("/no/such/file")).isInstanceOf(GuestOperationException.class);
        assertThatThrownBy(() -> agent.list("/no/such/dir")).isInstanceOf(GuestOperationException.class);
        assertThatThrownBy(() -> agent.remove("/no/such/file", false)).isInstanceOf(GuestOperationException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void badPathsAreRejected() {
        assertThatThrownBy(() -> agent.stat("relative/path"))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> agent.upload("/tmp/a\0b", 0644, text("x")))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> agent.upload("/etc", 0644, text("x")))
                .isInstanceOfSatisfying(GuestOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IS_A_DIRECTORY));
    }

    private static InputStream text(String value) {
        return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(String path) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        agent.download(path, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
