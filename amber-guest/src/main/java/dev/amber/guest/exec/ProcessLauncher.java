package dev.amber.guest.exec;

import dev.amber.guest.GuestException;
import dev.amber.protocol.message.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares a process the way every Amber process starts: in a session of its own (setsid), so a
 * timeout, a signal or an abandoned stream reaches its whole process group, children included; as
 * its user (setpriv for anyone but root); with a clean environment.
 */
public final class ProcessLauncher {

    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String SETSID = "/usr/bin/setsid";
    private static final String SETPRIV = "/usr/bin/setpriv";
    /** Where an imported image's init installs the injected busybox's applets. */
    private static final String INJECTED_SETSID = "/opt/amber/applets/setsid";

    /** A process ready to start: its builder, and the account it runs as. */
    record Prepared(ProcessBuilder builder, Users.Account account) {}

    private final Users users;

    ProcessLauncher(Users users) {
        this.users = users;
    }

    /** Accounts from /etc/passwd. */
    public static ProcessLauncher forThisMachine() {
        return new ProcessLauncher(new Users(Path.of("/etc/passwd")));
    }

    /** {@code user} null means root, {@code cwd} null the user's home. */
    Prepared prepare(List<String> argv, Map<String, String> env, String cwd, String user) throws IOException {
        Users.Account account = users.find(user == null ? "0" : user);
        Path directory = Path.of(cwd == null ? account.home() : cwd);
        if (!Files.isDirectory(directory)) {
            throw new GuestException(ErrorCode.NOT_FOUND, "working directory does not exist: " + directory);
        }
        ProcessBuilder builder = new ProcessBuilder(command(account, argv)).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(account, env));
        return new Prepared(builder, account);
    }

    /**
     * setsid, then (for another user than root) setpriv, from util-linux. An imported image that
     * lacks util-linux gets the busybox setsid Amber injected; busybox cannot change users, so such
     * an image runs commands as root only.
     */
    private static List<String> command(Users.Account account, List<String> argv) throws GuestException {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of(SETSID)) ? SETSID : INJECTED_SETSID);
        if (account.uid() != 0) {
            if (!Files.isExecutable(Path.of(SETPRIV))) {
                throw new GuestException(ErrorCode.INVALID_ARGUMENT, "this image has no " + SETPRIV
                        + " (util-linux): commands run as root only");
            }
            command.addAll(List.of(SETPRIV, "--reuid=" + account.uid(), "--regid=" + account.gid(),
                    "--init-groups", "--"));
        }
        command.addAll(argv);
        return command;
    }

    private static Map<String, String> environment(Users.Account account, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", account.home());
        env.put("USER", account.name());
        env.put("LOGNAME", account.name());
        env.put("SHELL", account.shell());
        env.put("LANG", "C.UTF-8");
        env.putAll(extra);
        return env;
    }
}
