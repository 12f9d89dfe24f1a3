package dev.ferry.controlplane.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random credentials and the hashes they are stored as (never the credentials themselves). */
public final class Hashes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Hashes() {
    }

    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bearer token: 32 random bytes, URL-safe. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fry_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** DataSync's activation key form: 25 characters in five groups of five. */
    public static String newActivationKey() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder key = new StringBuilder();
        for (int group = 0; group < 5; group++) {
            if (group > 0) {
                key.append('-');
            }
            for (int i = 0; i < 5; i++) {
                key.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
        }
        return key.toString();
    }
}
