package dev.ferry.locations;

/**
 * Rules for location-relative keys. A key is a {@code /}-separated relative path: no leading
 * {@code /}, no empty, {@code .} or {@code ..} segment, no NUL. A directory's key ends with one
 * {@code /}. The root itself is the empty key and is never listed. Every driver checks keys with
 * {@link #requireValid} before touching storage, so no key can reach outside a location's root.
 */
public final class Keys {
    /** Longest key accepted; matches the S3 key limit, which is the tightest of the stores. */
    public static final int MAX_KEY_BYTES = 1024;

    private Keys() {
    }

    /** The location's root directory, accepted by {@link Location#stat} and {@link Location#setMetadata} only. */
    public static final String ROOT = "";

    /** Like {@link #requireValid}, but also accepts {@link #ROOT}. */
    public static String requireValidOrRoot(String key) {
        return ROOT.equals(key) ? key : requireValid(key);
    }

    public static boolean isDirectory(String key) {
        return key.endsWith("/");
    }

    /** Returns {@code key} when valid, or throws {@link InvalidKeyException} naming the problem. */
    public static String requireValid(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new InvalidKeyException(key, problem);
        }
        return key;
    }

    public static boolean isValid(String key) {
        return problem(key) == null;
    }

    /** What is wrong with {@code key}, or null. Every file's key passes here: it allocates nothing. */
    private static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "key is empty";
        }
        if (key.indexOf('\0') >= 0) {
            return "key contains NUL";
        }
        if (key.charAt(0) == '/') {
            return "key is absolute";
        }
        // Three bytes of UTF-8 at most per char: a short key cannot be too long.
        if (key.length() * 3L > MAX_KEY_BYTES && utf8Length(key) > MAX_KEY_BYTES) {
            return "key is longer than " + MAX_KEY_BYTES + " bytes";
        }
        int end = isDirectory(key) ? key.length() - 1 : key.length();
        for (int start = 0; ; ) {
            int slash = key.indexOf('/', start);
            if (slash < 0 || slash > end) {
                slash = end;
            }
            int length = slash - start;
            if (length == 0) {
                return "key has an empty segment";
            }
            if (key.charAt(start) == '.' && (length == 1 || length == 2 && key.charAt(start + 1) == '.')) {
                return "key has a '" + key.substring(start, slash) + "' segment";
            }
            if (slash == end) {
                return null;
            }
            start = slash + 1;
        }
    }

    /** The length of {@code text} in UTF-8, as {@code getBytes(UTF_8)} makes it (a lone surrogate becomes one byte). */
    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The parent directory key ({@code a/b/} for {@code a/b/c} and {@code a/b/c/}), or "" at the top. */
    public static String parent(String key) {
        String body = isDirectory(key) ? key.substring(0, key.length() - 1) : key;
        int slash = body.lastIndexOf('/');
        return slash < 0 ? "" : body.substring(0, slash + 1);
    }

    /** The last segment, without a trailing slash. */
    public static String name(String key) {
        String body = isDirectory(key) ? key.substring(0, key.length() - 1) : key;
        return body.substring(body.lastIndexOf('/') + 1);
    }

    /** True when {@code key} lies strictly below directory {@code dir} ("" is the root). */
    public static boolean isUnder(String key, String dir) {
        return key.length() > dir.length() && key.startsWith(dir);
    }
}
