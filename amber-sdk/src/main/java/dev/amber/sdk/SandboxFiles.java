package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.api.file.FileEntry;
import dev.amber.api.file.MkdirRequest;
import dev.amber.api.file.MoveRequest;
import dev.amber.api.file.UploadResult;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The files of one sandbox, by absolute path inside it. Uploads and downloads stream: neither the
 * client nor the server holds a whole file in memory, except {@link #read} which returns one.
 * Modes are numbers, normally written as octal literals: {@code 0644}.
 * Local files that cannot be read or written raise {@link UncheckedIOException}.
 */
public final class SandboxFiles {

    private static final int MAX_MODE = 07777;

    private final Transport transport;
    private final String sandboxId;

    SandboxFiles(Transport transport, String sandboxId) {
        this.transport = requireNonNull(transport, "transport");
        this.sandboxId = requireNonNull(sandboxId, "sandboxId");
    }

    /** Writes {@code content} to {@code path}, replacing any file there. */
    public UploadResult write(String path, byte[] content, int mode) {
        requireNonNull(content, "content");
        return upload(path, BodyPublishers.ofByteArray(content), mode);
    }

    /** Streams {@code content} to {@code path} until its end; the stream is read once and then closed. */
    public UploadResult write(String path, InputStream content, int mode) {
        requireNonNull(content, "content");
        return upload(path, BodyPublishers.ofInputStream(() -> content), mode);
    }

    /** Streams the local file {@code source} to {@code path}. */
    public UploadResult write(String path, Path source, int mode) {
        requireNonNull(source, "source");
        BodyPublisher body;
        try {
            body = BodyPublishers.ofFile(source);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot read " + source + ": no such file", e);
        }
        return upload(path, body, mode);
    }

    /** Streams the local file {@code source} to {@code path}, telling {@code progress} as the bytes go. */
    public UploadResult write(String path, Path source, int mode, TransferProgress progress) {
        requireNonNull(progress, "progress");
        long size;
        try {
            size = Files.size(requireNonNull(source, "source"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e, e);
        }
        return upload(path, BodyPublishers.ofInputStream(() -> {
            try {
                return new ProgressInputStream(Files.newInputStream(source), size, progress);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source + ": " + e, e);
            }
        }), mode);
    }

    /** The whole file in memory: for small files; use {@link #download} or {@link #open} for large ones. */
    public byte[] read(String path) {
        return transport.download(Endpoints.files(sandboxId), at(path), BodyHandlers.ofByteArray());
    }

    /** The file as a stream, read from the network as the caller reads; the caller must close it. */
    public InputStream open(String path) {
        return transport.download(Endpoints.files(sandboxId), at(path), BodyHandlers.ofInputStream());
    }

    /**
     * Streams the file to the local {@code target}, replacing it. The bytes go to a temporary file
     * next to it first, so a failed download never leaves a truncated {@code target}.
     */
    public void download(String path, Path target) {
        download(path, target, TransferProgress.NONE);
    }

    /** As {@link #download(String, Path)}, telling {@code progress} as the bytes arrive. */
    public void download(String path, Path target, TransferProgress progress) {
        requireNonNull(progress, "progress");
        Path absolute = requireNonNull(target, "target").toAbsolutePath();
        Path partial;
        try {
            partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write next to " + absolute + ": " + e, e);
        }
        try {
            try (InputStream in = transport.download(Endpoints.files(sandboxId), at(path), info ->
                    BodySubscribers.mapping(BodySubscribers.ofInputStream(), body -> new ProgressInputStream(body,
                            info.headers().firstValueAsLong("Content-Length").orElse(-1), progress)))) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the download into " + absolute + " failed: " + e, e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Every entry of the directory {@code path}, all pages. */
    public List<FileEntry> list(String path) {
        Query query = at(path).with("pageSize", Page.MAX_SIZE);
        return Pages.all(page -> transport.getPage(Endpoints.fileList(sandboxId), query.with("page", page), FileEntry.class));
    }

    public FileEntry stat(String path) {
        return transport.get(Endpoints.fileStat(sandboxId), at(path), FileEntry.class);
    }

    /** Creates the directory {@code path} and its parents, with the server's default mode (755). */
    public FileEntry mkdir(String path) {
        requireNonNull(path, "path");
        return post(Endpoints.mkdir(sandboxId), new MkdirRequest(path, null));
    }

    public FileEntry mkdir(String path, int mode) {
        requireNonNull(path, "path");
        return post(Endpoints.mkdir(sandboxId), new MkdirRequest(path, octal(mode)));
    }

    public FileEntry move(String from, String to) {
        return post(Endpoints.move(sandboxId), new MoveRequest(requireNonNull(from, "from"), requireNonNull(to, "to")));
    }

    /** Removes a file, or a directory: an empty one, or with everything in it when {@code recursive}. */
    public void remove(String path, boolean recursive) {
        transport.delete(Endpoints.files(sandboxId), at(path).with("recursive", recursive));
    }

    private UploadResult upload(String path, BodyPublisher body, int mode) {
        return transport.upload(Endpoints.files(sandboxId), at(path).with("mode", octal(mode)), body, UploadResult.class);
    }

    private FileEntry post(String endpoint, Object body) {
        return transport.post(endpoint, body, FileEntry.class, transport.options().requestTimeout());
    }

    private static Query at(String path) {
        return Query.empty().with("path", requireNonNull(path, "path"));
    }

    /** The API writes modes as octal strings: 0644 is sent as {@code "644"}. */
    static String octal(int mode) {
        if (mode < 0 || mode > MAX_MODE) {
            throw new IllegalArgumentException("mode must be between 0 and 07777, got 0" + Integer.toOctalString(mode));
        }
        return Integer.toOctalString(mode);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Best effort: the download itself succeeded or already failed with a better message.
        }
    }
}
