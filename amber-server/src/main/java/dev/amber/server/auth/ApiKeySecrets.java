package dev.amber.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * API key secrets: {@code amb_} + 40 random base62 characters (~238 bits). Stored as SHA-256:
 * with that much entropy a slow password hash would add nothing but latency to every request.
 */
public final class ApiKeySecrets {

    public static final String PREFIX = "amb_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {}

    public static String generate() {
        return generate(PREFIX);
    }

    /** A secret of the same strength with another prefix, for another purpose. */
    public static String generate(String prefix) {
        StringBuilder secret = new StringBuilder(prefix);
        for (int i = 0; i < 40; i++) {
            secret.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return secret.toString();
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** What a listing shows of a key: enough to recognise it, far too little to use it. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, PREFIX.length() + 6);
    }
}
