package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void refusesKeysThatLeaveTheRoot() {
        for (String bad : List.of("", "/a", "..", "../a", "a/..", "a/../b", "a//b", ".", "a\0", "a/./b")) {
            assertThatThrownBy(() -> Keys.requireValid(bad)).as(bad).isInstanceOf(InvalidKeyException.class);
        }
        for (String good : List.of("a", "a/", "a/b c/ü", "..a", "a..", ".hidden/x")) {
            assertThat(Keys.requireValid(good)).isEqualTo(good);
        }
    }

    @Test
    void sayWhatIsWrongWithAKey() {
        assertThat(message("")).contains("empty");
        assertThat(message("a/\0/..")).contains("NUL");
        assertThat(message("/a/..")).contains("absolute");
        assertThat(message("a//b")).contains("empty segment");
        assertThat(message("a/b//")).contains("empty segment");
        assertThat(message("a/../b")).contains("'..' segment");
        assertThat(message("./a")).contains("'.' segment");
        assertThat(message("a/.")).contains("'.' segment");
        assertThat(message("a/../")).contains("'..' segment");
        // The limit counts UTF-8 bytes: 512 two-byte chars fit, one more byte does not; a pair of surrogates is four.
        assertThat(Keys.isValid("é".repeat(512))).isTrue();
        assertThat(message("é".repeat(512) + "x")).contains("longer than 1024 bytes");
        assertThat(Keys.isValid("😀".repeat(256))).isTrue();
        assertThat(message("😀".repeat(256) + "/")).contains("longer than 1024 bytes");
        assertThat(message("a".repeat(1025))).contains("longer than 1024 bytes");
        assertThat(Keys.isValid("a/".repeat(512))).isTrue();
    }

    private static String message(String key) {
        try {
            Keys.requireValid(key);
            return "valid";
        } catch (InvalidKeyException e) {
            return e.getMessage();
        }
    }

    @Test
    void parentAndName() {
        assertThat(Keys.parent("a/b/c")).isEqualTo("a/b/");
        assertThat(Keys.parent("a/b/")).isEqualTo("a/");
        assertThat(Keys.parent("a")).isEmpty();
        assertThat(Keys.name("a/b/")).isEqualTo("b");
        assertThat(Keys.isUnder("a/b", "a/")).isTrue();
        assertThat(Keys.isUnder("a/", "a/")).isFalse();
        assertThat(Keys.isUnder("ab", "a/")).isFalse();
    }

    @Test
    void directoryKeysOrderTheirSubtreesAsOneBlockInCodePointOrder() {
        List<String> keys = new ArrayList<>(List.of("a/b", "a-c", "a/", "😀", "\uFFFF", "a0", "a"));
        keys.sort(KeyOrder.COMPARATOR);
        // '-' (0x2D) < '/' (0x2F) < '0' (0x30); U+FFFF < U+1F600 though UTF-16 orders them the other way.
        assertThat(keys).containsExactly("a", "a-c", "a/", "a/b", "a0", "\uFFFF", "😀");
    }
}
