package dev.amber.host.vm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a host reads from its QEMU: the output below is Debian 12's QEMU 7.2, as on this kind of host. */
class QemuReleaseTest {

    private static final String VERSION = """
            QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)
            Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers
            """;

    @Test
    void q35IsLaunchedAsTheVersionedTypeItIsAnAliasOf() throws IOException {
        QemuRelease qemu = QemuRelease.parse(VERSION, machineHelp());

        assertThat(qemu.version()).isEqualTo("7.2.22");
        assertThat(qemu.resolve("q35")).isEqualTo("pc-q35-7.2");
        assertThat(MachineModel.q35(qemu, Accelerator.TCG)).isEqualTo(new MachineModel("pc-q35-7.2", Accelerator.TCG));
    }

    @Test
    void everyVersionedTypeIsOfferedButNoAlias() throws IOException {
        QemuRelease qemu = QemuRelease.parse(VERSION, machineHelp());

        assertThat(qemu.offers("pc-q35-7.2")).isTrue();
        assertThat(qemu.offers("pc-q35-6.2")).isTrue();
        assertThat(qemu.offers("pc-q35-4.0.1")).isTrue();
        assertThat(qemu.offers("pc-i440fx-7.2")).isTrue();
        assertThat(qemu.offers("pc-q35-8.0")).isFalse();
        assertThat(qemu.offers("q35")).isFalse();
        assertThat(qemu.aliases()).containsEntry("pc", "pc-i440fx-7.2").containsEntry("q35", "pc-q35-7.2");
    }

    @Test
    void aMissingAliasIsRefusedNamingIt() throws IOException {
        QemuRelease qemu = QemuRelease.parse(VERSION, "Supported machines are:\nmicrovm              microvm (i386)\n");

        assertThatThrownBy(() -> qemu.resolve("q35")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("QEMU 7.2.22 offers no machine type q35");
    }

    @Test
    void outputWithoutAVersionIsRefused() {
        assertThatThrownBy(() -> QemuRelease.parse("qemu-system-x86_64: command not understood", machineHelp()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("said no version");
    }

    @Test
    void thisHostsQemuHasAVersionedQ35() throws IOException {
        QemuRelease qemu = QemuRelease.probe();

        assertThat(qemu.resolve("q35")).matches("pc-q35-\\d+\\.\\d+");
        assertThat(qemu.offers(qemu.resolve("q35"))).isTrue();
    }

    private static String machineHelp() {
        try (InputStream sample = QemuReleaseTest.class.getResourceAsStream("machine-help-qemu-7.2.txt")) {
            return new String(sample.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
