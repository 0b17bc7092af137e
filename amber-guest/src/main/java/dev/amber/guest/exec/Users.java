package dev.amber.guest.exec;

import dev.amber.guest.GuestException;
import dev.amber.protocol.message.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks accounts up in the guest's /etc/passwd. */
final class Users {

    record Account(String name, int uid, int gid, String home, String shell) {}

    private final Path passwd;

    Users(Path passwd) {
        this.passwd = passwd;
    }

    /** A user by name or numeric uid. */
    Account find(String user) throws IOException {
        for (String line : Files.readAllLines(passwd)) {
            String[] fields = line.split(":", -1);
            if (fields.length < 7) {
                continue;
            }
            if (fields[0].equals(user) || fields[2].equals(user)) {
                return new Account(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), fields[5], fields[6]);
            }
        }
        throw new GuestException(ErrorCode.INVALID_ARGUMENT, "no such user in the sandbox: " + user);
    }
}
