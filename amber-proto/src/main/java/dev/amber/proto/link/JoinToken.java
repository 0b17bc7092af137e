package dev.amber.proto.link;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A host's single-use ticket into a cluster, as text: {@code amberjoin_<secret>_<CA fingerprint>}.
 * The secret (base62, 256 bits) is what the control plane checks; the fingerprint (hex SHA-256 of
 * the cluster CA's DER) is what the joining host checks the server against before it sends the secret.
 */
public record JoinToken(String secret, String caFingerprint) {

    private static final String PREFIX = "amberjoin_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SECRET_CHARS = 43; // 43 * log2(62) > 256 bits
    private static final Pattern FORMAT = Pattern.compile("amberjoin_([0-9A-Za-z]{" + SECRET_CHARS + "})_([0-9a-f]{64})");

    public JoinToken {
        requireNonNull(secret, "secret");
        requireNonNull(caFingerprint, "caFingerprint");
    }

    /** A fresh token for the cluster whose CA has {@code caFingerprint}. */
    public static JoinToken generate(String caFingerprint) {
        SecureRandom random = new SecureRandom();
        StringBuilder secret = new StringBuilder(SECRET_CHARS);
        for (int i = 0; i < SECRET_CHARS; i++) {
            secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return new JoinToken(secret.toString(), caFingerprint);
    }

    /** Reads a token as {@link #text()} wrote it. */
    public static JoinToken parse(String text) {
        Matcher matcher = FORMAT.matcher(requireNonNull(text, "text").strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a join token: expected " + PREFIX + "<43 letters and digits>_<64 hex digits>,"
                    + " as `amber host token` prints it (was it cut short when copied?)");
        }
        return new JoinToken(matcher.group(1), matcher.group(2));
    }

    /** The token as people copy it. */
    public String text() {
        return PREFIX + secret + "_" + caFingerprint;
    }

    /** Without the secret: a token may end up in a log line. */
    @Override
    public String toString() {
        return PREFIX + "…_" + caFingerprint;
    }
}
