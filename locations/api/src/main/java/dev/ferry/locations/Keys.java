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

    private static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "key is empty";
        }
        if (key.indexOf('\0') >= 0) {
            return "key contains NUL";
        }
        if (key.startsWith("/")) {
            return "key is absolute";
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "key is longer than " + MAX_KEY_BYTES + " bytes";
        }
        String body = isDirectory(key) ? key.substring(0, key.length() - 1) : key;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty()) {
                return "key has an empty segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "key has a '" + segment + "' segment";
            }
        }
        return null;
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
