package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterRulesTest {
    @Test
    void aPathNamesTheEntryAndEverythingUnderIt() {
        FilterRules rules = FilterRules.parse("/photos|/docs/2026", "");
        assertThat(rules.includes("photos/")).isTrue();
        assertThat(rules.includes("photos/a/b.jpg")).isTrue();
        assertThat(rules.includes("docs/2026/q1.pdf")).isTrue();
        assertThat(rules.includes("docs/")).as("a directory on the way to an include").isTrue();
        assertThat(rules.includes("docs/2025/q1.pdf")).isFalse();
        assertThat(rules.includes("photosX/a")).isFalse();
        assertThat(rules.includes("readme.txt")).isFalse();
    }

    @Test
    void starMatchesAnyRunOfCharactersAnywhereInBothLists() {
        FilterRules rules = FilterRules.parse("/logs/*.log|/data/*/raw", "*.tmp|/data/secret*");
        assertThat(rules.includes("logs/app.log")).isTrue();
        assertThat(rules.includes("logs/2026/app.log")).isTrue();
        assertThat(rules.includes("logs/app.txt")).isFalse();
        assertThat(rules.includes("data/eu/raw/x.bin")).isTrue();
        assertThat(rules.includes("data/eu/cooked/x.bin")).isFalse();
        assertThat(rules.includes("logs/app.log.tmp")).as("an exclude wins").isFalse();
        assertThat(rules.includes("data/secret-eu/raw/x")).isFalse();
    }

    @Test
    void aNameWithoutASlashMatchesAtAnyDepthAndExcludesSubtrees() {
        FilterRules rules = FilterRules.parse("", ".snapshot|*.tmp");
        assertThat(rules.includes("a/.snapshot/")).isFalse();
        assertThat(rules.includes("a/.snapshot/hourly/f")).isFalse();
        assertThat(rules.includes("a/b/x.tmp")).isFalse();
        assertThat(rules.includes("a/b/x.tmpl")).isTrue();
        assertThat(rules.includes("a/b/")).isTrue();
    }

    @Test
    void includesPruneDirectoriesThatCannotHoldAMatch() {
        FilterRules rules = FilterRules.parse("/a/b/c|/x/*.csv", "");
        assertThat(rules.descend("a/")).isTrue();
        assertThat(rules.descend("a/b/")).isTrue();
        assertThat(rules.descend("a/z/")).isFalse();
        assertThat(rules.descend("q/")).isFalse();
        assertThat(rules.descend("x/deep/")).isTrue();
        assertThat(FilterRules.parse("", "/big").descend("big/")).isFalse();
    }

    @Test
    void malformedPatternsAreRefusedNamingTheList() {
        assertThatThrownBy(() -> FilterRules.parse("/a||/b", "")).isInstanceOf(InvalidOptionException.class)
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("includes"));
        assertThatThrownBy(() -> FilterRules.parse("", "logs/*.tmp")).hasMessageContaining("must start with '/'")
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("excludes"));
        assertThatThrownBy(() -> FilterRules.parse("/a/../b", "")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> FilterRules.parse("/a//b", "")).hasMessageContaining("empty path segment");
        assertThatThrownBy(() -> FilterRules.parse("/" + "a".repeat(FilterRules.MAX_LENGTH), "")).hasMessageContaining("longer than");
    }
}
