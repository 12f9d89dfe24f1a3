package dev.ferry.controlplane.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Resource ids in DataSync's style: a type prefix and random hex ({@code task-0f3a...}). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(String prefix) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }
}
