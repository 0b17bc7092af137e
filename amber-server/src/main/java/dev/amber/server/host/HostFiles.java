package dev.amber.server.host;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;

/** Files in a sandbox, through its guest agent. */
public interface HostFiles {

    /** Streams {@code data} into a file; returns the bytes written. */
    long upload(String sandboxId, String path, int mode, InputStream data) throws HostException;

    /** Streams a file into {@code out}; {@code onStart} gets its metadata before the first byte. */
    void download(String sandboxId, String path, long offset, long length, Consumer<GuestFile> onStart,
                  OutputStream out) throws HostException;

    List<GuestFile> list(String sandboxId, String path) throws HostException;

    GuestFile stat(String sandboxId, String path) throws HostException;

    GuestFile mkdir(String sandboxId, String path, int mode) throws HostException;

    long remove(String sandboxId, String path, boolean recursive) throws HostException;

    GuestFile move(String sandboxId, String from, String to) throws HostException;

    /** A file in a guest. {@code type}: file, directory, symlink, other. */
    record GuestFile(String name, String type, long size, int mode, long modifiedMillis, String owner) {}
}
