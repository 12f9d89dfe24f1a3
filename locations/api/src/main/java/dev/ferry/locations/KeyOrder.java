package dev.ferry.locations;

import java.util.Comparator;

/**
 * The one order every listing follows: keys compared by Unicode code point, which is UTF-8 byte
 * order and the order S3 lists keys in. Because a directory's key ends with {@code /}, a
 * depth-first walk that sorts each directory's children by key yields exactly this global order,
 * so file-system and object-store listings can be merged in step.
 */
public final class KeyOrder {
    public static final Comparator<String> COMPARATOR = KeyOrder::compare;

    private KeyOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
