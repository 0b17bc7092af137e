package dev.amber.host.vm;

import dev.amber.host.process.CommandRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The QEMU this host runs: its version and the machine types it offers, as {@code --version} and
 * {@code -machine help} print them. A machine type such as {@code q35} is an alias that moves to
 * the newest versioned type with every QEMU release; a versioned type ({@code pc-q35-7.2}) keeps
 * its device layout in every later release that still offers it, which is what lets saved
 * machine state be loaded by a newer QEMU. So machines are launched with the versioned type the
 * alias stands for, read once per host process.
 *
 * @param version      e.g. "7.2.22"
 * @param machineTypes every machine type it offers, aliases excluded
 * @param aliases      alias to versioned type, e.g. q35 to pc-q35-7.2
 */
public record QemuRelease(String version, Set<String> machineTypes, Map<String, String> aliases) {

    private static final String BINARY = "qemu-system-x86_64";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern VERSION = Pattern.compile("QEMU emulator version (\\S+)");
    /** A line of {@code -machine help}: the name, then its description, which may name the type it aliases. */
    private static final Pattern MACHINE = Pattern.compile("(\\S+)\\s+.*");
    private static final Pattern ALIAS_OF = Pattern.compile("\\(alias of ([^)\\s]+)\\)");

    public QemuRelease {
        requireNonNull(version, "version");
        machineTypes = Set.copyOf(machineTypes);
        aliases = Map.copyOf(aliases);
    }

    /** Asks this host's QEMU. */
    public static QemuRelease probe() throws IOException {
        return parse(CommandRunner.run(List.of(BINARY, "--version"), TIMEOUT),
                CommandRunner.run(List.of(BINARY, "-machine", "help"), TIMEOUT));
    }

    /** The release that printed {@code versionOutput} and {@code machineHelp}. */
    static QemuRelease parse(String versionOutput, String machineHelp) throws IOException {
        Matcher version = VERSION.matcher(versionOutput);
        if (!version.find()) {
            throw new IOException(BINARY + " --version said no version: " + versionOutput.lines().findFirst().orElse(""));
        }
        Set<String> types = new LinkedHashSet<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String line : machineHelp.lines().skip(1).toList()) {
            Matcher machine = MACHINE.matcher(line.strip());
            if (!machine.matches()) {
                continue;
            }
            Matcher alias = ALIAS_OF.matcher(line);
            if (alias.find()) {
                aliases.put(machine.group(1), alias.group(1));
            } else {
                types.add(machine.group(1));
            }
        }
        return new QemuRelease(version.group(1), types, aliases);
    }

    /** The versioned machine type {@code alias} stands for in this release; fails when it offers no such alias. */
    public String resolve(String alias) throws IOException {
        return Optional.ofNullable(aliases.get(alias)).orElseThrow(() -> new IOException("QEMU " + version
                + " offers no machine type " + alias + " (" + BINARY + " -machine help lists none)"));
    }

    /** Whether this release can run, and load saved state of, machine type {@code machineType}. */
    public boolean offers(String machineType) {
        return machineTypes.contains(machineType);
    }
}
