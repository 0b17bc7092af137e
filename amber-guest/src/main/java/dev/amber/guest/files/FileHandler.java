package dev.amber.guest.files;

import dev.amber.guest.GuestException;
import dev.amber.guest.Replies;
import dev.amber.protocol.message.Count;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.FileInfo;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Message;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** File operations on the guest's filesystem. Paths are absolute; uploads replace files atomically. */
public final class FileHandler {

    private static final int CHUNK = 64 * 1024;

    /** Streams the file: a {@link FileInfo} reply first, then its bytes, then the end of the stream. */
    public void read(Stream stream, Request.ReadFile request) throws IOException {
        Path path = absolute(request.path());
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new GuestException(ErrorCode.IS_A_DIRECTORY, "is a directory: " + path);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            stream.send(Tags.REPLY, info(path, attributes).encode());
            long left = request.length() < 0 ? Long.MAX_VALUE : request.length();
            channel.position(request.offset());
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            while (left > 0) {
                buffer.clear().limit((int) Math.min(CHUNK, left));
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                stream.send(Tags.DATA, buffer.array(), 0, n);
                left -= n;
            }
        }
        stream.end();
    }

    /**
     * Receives the file's bytes into a temporary file beside the target, then syncs and renames it
     * into place, so a reader never sees half a file and a failed upload leaves the old one intact.
     */
    public void write(Stream stream, Request.WriteFile request) throws IOException {
        Path path = absolute(request.path());
        Path parent = path.getParent();
        if (parent == null || Files.isDirectory(path)) {
            throw new GuestException(ErrorCode.IS_A_DIRECTORY, "is a directory: " + path);
        }
        Files.createDirectories(parent);
        Path temporary = parent.resolve(".amber-upload-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        long total = 0;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Message message;
                while ((message = stream.receive()) != null) {
                    if (message.tag() == Tags.DATA) {
                        ByteBuffer data = ByteBuffer.wrap(message.data());
                        while (data.hasRemaining()) {
                            total += channel.write(data);
                        }
                    }
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temporary, permissions(request.mode()));
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        Replies.ok(stream, new Count(total).encode());
    }

    public void list(Stream stream, Request.ListDirectory request) throws IOException {
        Path path = absolute(request.path());
        List<FileInfo> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
            for (Path child : children) {
                entries.add(info(child, attributes(child)));
            }
        }
        entries.sort(Comparator.comparing(FileInfo::name));
        Replies.ok(stream, FileInfo.encodeList(entries));
    }

    public void stat(Stream stream, Request.Stat request) throws IOException {
        Path path = absolute(request.path());
        Replies.ok(stream, info(path, attributes(path)).encode());
    }

    public void mkdir(Stream stream, Request.MakeDirectory request) throws IOException {
        Path path = absolute(request.path());
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path)) {
            throw new GuestException(ErrorCode.ALREADY_EXISTS, "exists and is not a directory: " + path);
        }
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, permissions(request.mode()));
        Replies.ok(stream, info(path, attributes(path)).encode());
    }

    public void remove(Stream stream, Request.Remove request) throws IOException {
        Path path = absolute(request.path());
        if (path.getParent() == null) {
            throw new GuestException(ErrorCode.INVALID_ARGUMENT, "refusing to remove /");
        }
        long removed;
        if (request.recursive() && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            removed = removeTree(path);
        } else {
            Files.delete(path);
            removed = 1;
        }
        Replies.ok(stream, new Count(removed).encode());
    }

    public void move(Stream stream, Request.Move request) throws IOException {
        Path from = absolute(request.from());
        Path to = absolute(request.to());
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new GuestException(ErrorCode.ALREADY_EXISTS, "destination already exists: " + to);
        }
        Files.move(from, to);
        Replies.ok(stream, info(to, attributes(to)).encode());
    }

    private static long removeTree(Path root) throws IOException {
        long[] removed = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                removed[0]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                removed[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        return removed[0];
    }

    static Path absolute(String path) throws GuestException {
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new GuestException(ErrorCode.INVALID_ARGUMENT, "path must be absolute: " + path);
        }
        if (path.indexOf('\0') >= 0) {
            throw new GuestException(ErrorCode.INVALID_ARGUMENT, "path contains a NUL byte");
        }
        return Path.of(path).normalize();
    }

    private static PosixFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileInfo info(Path path, PosixFileAttributes attributes) {
        FileInfo.Type type = attributes.isRegularFile() ? FileInfo.Type.FILE
                : attributes.isDirectory() ? FileInfo.Type.DIRECTORY
                : attributes.isSymbolicLink() ? FileInfo.Type.SYMLINK
                : FileInfo.Type.OTHER;
        Path name = path.getFileName();
        return new FileInfo(name == null ? "/" : name.toString(), type, attributes.size(), mode(attributes.permissions()),
                attributes.lastModifiedTime().toMillis(), attributes.owner().getName());
    }

    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int bit = 0; bit < BITS.length; bit++) {
            if (permissions.contains(BITS[bit])) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }
}
