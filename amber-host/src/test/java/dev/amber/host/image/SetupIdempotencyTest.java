package dev.amber.host.image;

import dev.amber.host.TestLayout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** `./amber setup` ran before the tests; running the host setup again must only check, never rebuild. */
class SetupIdempotencyTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void secondSetupRunRebuildsNothing() throws Exception {
        Path image = TestLayout.baseImage().toRealPath();
        FileTime builtAt = Files.getLastModifiedTime(image.resolve("rootfs.qcow2"));

        Process setup = new ProcessBuilder(PROJECT.resolve("scripts/setup-host").toString(),
                PROJECT.resolve("amber-guest/target/amber-guest.jar").toString())
                .redirectErrorStream(true).start();
        String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(setup.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(setup.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainPattern("(?i)installing|extracting|building|bootstrapping|linking|assembling");
        assertThat(output).contains("guest image ready");
        assertThat(TestLayout.baseImage().toRealPath()).isEqualTo(image);
        assertThat(Files.getLastModifiedTime(image.resolve("rootfs.qcow2"))).isEqualTo(builtAt);
    }
}
