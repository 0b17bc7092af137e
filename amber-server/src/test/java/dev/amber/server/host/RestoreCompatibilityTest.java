package dev.amber.server.host;

import dev.amber.api.host.HostPlatform;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreCompatibilityTest {

    /** A QEMU 8.2 host under TCG, as its heartbeat says. */
    private static final HostPlatformFacts TCG_8_2 = new HostPlatformFacts(
            new HostPlatform("8.2.2", "pc-q35-8.2", "max", "tcg", "linux-image-6.1"),
            Set.of("pc-q35-7.0", "pc-q35-7.2", "pc-q35-8.0", "pc-q35-8.2"));

    @Test
    void aHostRestoresAMachineOfAnyTypeItsQemuOffersNotOnlyTheOneItRunsMachinesAs() {
        assertThat(RestoreCompatibility.mismatches(new SavedPlatform("pc-q35-8.2", "max", "tcg"), TCG_8_2)).isEmpty();
        assertThat(RestoreCompatibility.mismatches(new SavedPlatform("pc-q35-7.2", "max", "tcg"), TCG_8_2)).isEmpty();
    }

    @Test
    void aMachineTypeTheHostsQemuLacksIsNamedWithThatQemu() {
        assertThat(RestoreCompatibility.mismatches(new SavedPlatform("pc-q35-9.1", "max", "tcg"), TCG_8_2))
                .containsExactly("machine type pc-q35-9.1, which its QEMU 8.2.2 does not offer");
    }

    @Test
    void anotherCpuModelOrAcceleratorIsNamedWithWhatTheHostHas() {
        assertThat(RestoreCompatibility.mismatches(new SavedPlatform("pc-q35-7.2", "host", "kvm"), TCG_8_2))
                .containsExactly("CPU model host (it has max)", "accelerator kvm (it uses tcg)");
    }

    @Test
    void aHostOlderThanTheListOfMachineTypesStillOffersTheOneItRunsMachinesAs() {
        HostPlatformFacts older = new HostPlatformFacts(TCG_8_2.platform(), Set.of());

        assertThat(RestoreCompatibility.mismatches(new SavedPlatform("pc-q35-8.2", "max", "tcg"), older)).isEmpty();
        assertThat(RestoreCompatibility.mismatches(new SavedPlatform("pc-q35-7.2", "max", "tcg"), older))
                .containsExactly("machine type pc-q35-7.2, which its QEMU 8.2.2 does not offer");
    }

    @Test
    void aMachineSavedOnAHostIsRecordedAsTheTypeItRunsMachinesAsWithItsCpuModelAndAccelerator() {
        assertThat(TCG_8_2.recording()).isEqualTo(new SavedPlatform("pc-q35-8.2", "max", "tcg"));
    }
}
