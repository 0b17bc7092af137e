package dev.amber.guest;

import dev.amber.protocol.message.Count;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.FileInfo;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** File operations through the agent's real entry point, on a temporary directory of this machine. */
@Timeout(60)
class AgentFilesTest {

    @TempDir
    Path root;
    @RegisterExtension
    final GuestAgent agent = new GuestAgent();

    private String path(String relative) {
        return root.resolve(relative).toString();
    }

    private GuestAgent.Answer upload(String path, int mode, byte[] content) throws Exception {
        Stream stream = agent.open(new Request.WriteFile(path, mode));
        for (int offset = 0; offset < content.length; offset += 100_000) {
            stream.send(Tags.DATA, content, offset, Math.min(100_000, content.length - offset));
        }
        stream.end();
        return GuestAgent.Answer.readFrom(stream);
    }

    @Test
    void uploadedFileReadsBackWholeAndInRangesWithItsMode() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);

        assertThat(Count.decode(upload(path("a/b/data.bin"), 0640, content).only(Tags.REPLY)).value()).isEqualTo(content.length);

        GuestAgent.Answer whole = agent.call(new Request.ReadFile(path("a/b/data.bin"), 0, -1));
        FileInfo info = FileInfo.decode(whole.messages().getFirst().data());
        assertThat(info).extracting(FileInfo::name, FileInfo::type, FileInfo::size, FileInfo::mode)
                .containsExactly("data.bin", FileInfo.Type.FILE, 300_000L, 0640);
        assertThat(whole.bytes(Tags.DATA)).isEqualTo(content);
        assertThat(agent.call(new Request.ReadFile(path("a/b/data.bin"), 1000, 10)).bytes(Tags.DATA))
                .isEqualTo(Arrays.copyOfRange(content, 1000, 1010));
        assertThat(root.resolve("a/b")).isDirectoryNotContaining(file -> file.getFileName().toString().startsWith(".amber-upload-"));
    }

    @Test
    void uploadReplacesAnExistingFile() throws Exception {
        upload(path("note.txt"), 0644, "old".getBytes(StandardCharsets.UTF_8));
        upload(path("note.txt"), 0600, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(root.resolve("note.txt")).hasContent("new");
        assertThat(FileInfo.decode(agent.call(new Request.Stat(path("note.txt"))).only(Tags.REPLY)).mode()).isEqualTo(0600);
    }

    @Test
    void listingIsSortedByNameWithTypesAndSizes() throws Exception {
        Files.writeString(root.resolve("b.txt"), "12345");
        Files.createDirectory(root.resolve("a-dir"));
        Files.createSymbolicLink(root.resolve("c-link"), root.resolve("b.txt"));

        assertThat(FileInfo.decodeList(agent.call(new Request.ListDirectory(root.toString())).only(Tags.REPLY)))
                .extracting(FileInfo::name, FileInfo::type)
                .containsExactly(tuple("a-dir", FileInfo.Type.DIRECTORY),
                        tuple("b.txt", FileInfo.Type.FILE),
                        tuple("c-link", FileInfo.Type.SYMLINK));
    }

    @Test
    void mkdirCreatesMissingParentsAndAcceptsAnExistingDirectoryButNotAFile() throws Exception {
        FileInfo made = FileInfo.decode(agent.call(new Request.MakeDirectory(path("x/y/z"), 0750)).only(Tags.REPLY));
        assertThat(made).extracting(FileInfo::name, FileInfo::type, FileInfo::mode).containsExactly("z", FileInfo.Type.DIRECTORY, 0750);
        assertThat(root.resolve("x/y/z")).isDirectory();

        assertThat(agent.call(new Request.MakeDirectory(path("x/y/z"), 0750)).tags()).containsExactly(Tags.REPLY);

        Files.writeString(root.resolve("file"), "");
        assertThat(agent.call(new Request.MakeDirectory(path("file"), 0755)).error().code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void moveRenamesButNeverOverwrites() throws Exception {
        Files.writeString(root.resolve("from.txt"), "content");
        Files.writeString(root.resolve("taken.txt"), "keep");

        assertThat(FileInfo.decode(agent.call(new Request.Move(path("from.txt"), path("to.txt"))).only(Tags.REPLY)).name())
                .isEqualTo("to.txt");
        assertThat(root.resolve("to.txt")).hasContent("content");
        assertThat(root.resolve("from.txt")).doesNotExist();

        assertThat(agent.call(new Request.Move(path("to.txt"), path("taken.txt"))).error().code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(root.resolve("taken.txt")).hasContent("keep");
    }

    @Test
    void removeOfAFullDirectoryNeedsRecursiveAndCountsWhatItRemoved() throws Exception {
        Files.createDirectories(root.resolve("tree/sub"));
        Files.writeString(root.resolve("tree/sub/leaf"), "x");
        Files.writeString(root.resolve("tree/top"), "y");

        assertThat(agent.call(new Request.Remove(path("tree"), false)).error().code()).isEqualTo(ErrorCode.DIRECTORY_NOT_EMPTY);
        assertThat(Count.decode(agent.call(new Request.Remove(path("tree"), true)).only(Tags.REPLY)).value()).isEqualTo(4);
        assertThat(root.resolve("tree")).doesNotExist();
    }

    @Test
    void badPathsAreClassifiedForTheHost() throws Exception {
        Files.createDirectory(root.resolve("dir"));

        assertThat(agent.call(new Request.Stat("relative/path")).error().code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(agent.call(new Request.Stat(path("missing"))).error().code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(agent.call(new Request.ReadFile(path("dir"), 0, -1)).error().code()).isEqualTo(ErrorCode.IS_A_DIRECTORY);
        assertThat(agent.call(new Request.ListDirectory(path("missing"))).error().code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(agent.call(new Request.Remove("/", true)).error().code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
