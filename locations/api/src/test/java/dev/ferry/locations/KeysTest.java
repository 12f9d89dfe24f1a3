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
