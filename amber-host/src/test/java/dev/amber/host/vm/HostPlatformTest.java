package dev.amber.host.vm;

import dev.amber.host.TestPlatform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which saved machines a host can restore: the machine type it offers, the same CPU model and accelerator. */
class HostPlatformTest {

    private static final HostPlatform TCG_HOST = TestPlatform.TCG;
    private static final String KERNEL = TestPlatform.KERNEL;

    @Test
    void aMachineSavedHereIsRecordedWithEveryFactAndRestoresHere() {
        MachinePlatform saved = TCG_HOST.recording("0.1.0");

        assertThat(saved).isEqualTo(new MachinePlatform("7.2.22", "pc-q35-7.2", "max", "tcg", KERNEL, "0.1.0"));
        assertThat(TCG_HOST.mismatches(saved)).isEmpty();
    }

    @Test
    void anOlderQemuVersionsMachineTypeRestoresWhenStillOffered() {
        MachinePlatform saved = new MachinePlatform("7.0.0", "pc-q35-7.0", "max", "tcg", KERNEL, "0.1.0");

        assertThat(TCG_HOST.mismatches(saved)).isEmpty();
    }

    @Test
    void aMachineTypeThisQemuDoesNotOfferIsNamedWithWhatItRuns() {
        MachinePlatform saved = new MachinePlatform("8.0.2", "pc-q35-8.0", "max", "tcg", KERNEL, "0.1.0");

        assertThat(TCG_HOST.mismatches(saved)).containsExactly(
                "machine type pc-q35-8.0, which this host's QEMU 7.2.22 does not offer (it runs machines as pc-q35-7.2)");
    }

    @Test
    void aKvmMachineDoesNotRestoreUnderTcg() {
        MachinePlatform saved = new HostPlatform(TestPlatform.QEMU_7_2, new MachineModel("pc-q35-7.2", Accelerator.KVM), KERNEL)
                .recording("0.1.0");

        assertThat(TCG_HOST.mismatches(saved)).containsExactly(
                "CPU model host (this host's is max)", "accelerator kvm (this host uses tcg)");
    }

    @Test
    void anotherKernelOrAgentIsRecordedButNoObstacle() {
        MachinePlatform saved = new MachinePlatform("7.2.22", "pc-q35-7.2", "max", "tcg",
                "linux-image-6.1.0-20-cloud-amd64 6.1.85-1", "0.0.9");

        assertThat(TCG_HOST.mismatches(saved)).isEmpty();
    }
}
