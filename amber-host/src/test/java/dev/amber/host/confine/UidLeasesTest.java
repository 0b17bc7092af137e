package dev.amber.host.confine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UidLeasesTest {

    @TempDir
    Path dir;

    @Test
    void eachMachineGetsAFreeSlotAndAReleasedOneIsTakenAgain() throws Exception {
        UidLeases leases = new UidLeases(dir);

        int first = leases.acquire("sb-1");
        int second = leases.acquire("sb-2");
        leases.release(first);

        assertThat(first).isNotEqualTo(second);
        assertThat(leases.acquire("sb-3")).isEqualTo(first);
        assertThat(UidLeases.uid(second)).isEqualTo(UidLeases.BASE_UID + second);
        assertThat(leases.isLeased(UidLeases.name(second))).isTrue();
    }

    @Test
    void onlySlotsOfADeadOwnerAreStale() throws Exception {
        UidLeases leases = new UidLeases(dir);
        int live = leases.acquire("sb-1");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve(UidLeases.name(live + 1)), gone.pid() + " sb-2");

        assertThat(leases.stale()).containsExactly(live + 1);
    }
}
