package dev.amber.proto.link;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JoinTokenTest {

    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aTokenReadsBackAsItWasWritten() {
        JoinToken token = JoinToken.generate(FINGERPRINT);
        assertThat(token.text()).matches("amberjoin_[0-9A-Za-z]{43}_" + FINGERPRINT);
        assertThat(JoinToken.parse(" " + token.text() + "\n")).isEqualTo(token);
        assertThat(JoinToken.generate(FINGERPRINT).secret()).isNotEqualTo(token.secret());
    }

    @Test
    void itsTextInALogHidesTheSecret() {
        JoinToken token = JoinToken.generate(FINGERPRINT);
        assertThat(token.toString()).doesNotContain(token.secret()).contains(FINGERPRINT);
    }

    @Test
    void aCutOrForeignTextIsNotAToken() {
        String whole = JoinToken.generate(FINGERPRINT).text();
        for (String text : new String[] {"", whole.substring(0, whole.length() - 1), whole.replace("amberjoin_", "amb_"),
                whole.toUpperCase(), "amb_" + "x".repeat(40)}) {
            assertThatThrownBy(() -> JoinToken.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a join token");
        }
    }
}
