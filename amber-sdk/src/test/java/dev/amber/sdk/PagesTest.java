package dev.amber.sdk;

import dev.amber.api.Page;
import dev.amber.sdk.error.AmberException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagesTest {

    @Test
    void followsNextPageUntilNull() {
        List<Integer> requested = new ArrayList<>();

        List<String> all = Pages.all(page -> {
            requested.add(page);
            return switch (page) {
                case 0 -> new Page<>(List.of("a", "b"), 1);
                case 1 -> new Page<>(List.of("c"), 3);
                default -> new Page<>(List.of("d"), null);
            };
        });

        assertThat(all).containsExactly("a", "b", "c", "d");
        assertThat(requested).containsExactly(0, 1, 3);
    }

    @Test
    void refusesAServerThatPointsBackwards() {
        assertThatThrownBy(() -> Pages.all(page -> new Page<>(List.of("a"), 0)))
                .isInstanceOf(AmberException.class)
                .hasMessage("page 0 points back to page 0");
    }
}
