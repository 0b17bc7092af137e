package dev.amber.guest;

import dev.amber.protocol.message.AgentError;
import dev.amber.protocol.message.ErrorCode;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.mux.Stream;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Ends a stream with its result, or with an error the host can act on. */
public final class Replies {

    private Replies() {}

    public static void ok(Stream stream, byte[] reply) throws IOException {
        stream.send(Tags.REPLY, reply);
        stream.end();
    }

    /** Translates what the JDK throws for file operations into protocol errors. */
    public static AgentError describe(Exception e) {
        return switch (e) {
            case NoSuchFileException n -> new AgentError(ErrorCode.NOT_FOUND, "no such file or directory: " + n.getFile());
            case FileAlreadyExistsException f -> new AgentError(ErrorCode.ALREADY_EXISTS, "already exists: " + f.getFile());
            case DirectoryNotEmptyException d -> new AgentError(ErrorCode.DIRECTORY_NOT_EMPTY,
                    "directory not empty: " + d.getFile() + " (remove it recursively)");
            case NotDirectoryException n -> new AgentError(ErrorCode.NOT_A_DIRECTORY, "not a directory: " + n.getFile());
            case AccessDeniedException a -> new AgentError(ErrorCode.PERMISSION_DENIED, "permission denied: " + a.getFile());
            case InvalidPathException i -> new AgentError(ErrorCode.INVALID_ARGUMENT, "invalid path: " + i.getMessage());
            case GuestException g -> g.error();
            case FileSystemException f when String.valueOf(f.getReason()).contains("No space left") ->
                    new AgentError(ErrorCode.NO_SPACE, "no space left on the sandbox's disk: " + f.getFile());
            case FileSystemException f when String.valueOf(f.getReason()).contains("Is a directory") ->
                    new AgentError(ErrorCode.IS_A_DIRECTORY, "is a directory: " + f.getFile());
            case FileSystemException f when String.valueOf(f.getReason()).contains("Not a directory") ->
                    new AgentError(ErrorCode.NOT_A_DIRECTORY, "not a directory: " + f.getFile());
            case IOException io when String.valueOf(io.getMessage()).contains("No space left") ->
                    new AgentError(ErrorCode.NO_SPACE, "no space left on the sandbox's disk");
            case IOException io -> new AgentError(ErrorCode.IO_ERROR, String.valueOf(io.getMessage()));
            default -> new AgentError(ErrorCode.INTERNAL, e.toString());
        };
    }
}
