package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.HardLink;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HardLinksTest {
    private static Entry file(String key, String fileId, long links) {
        return new Entry(key, EntryType.FILE, 1, FileMetadata.NONE.withHardLink(Optional.of(new HardLink(fileId, links))));
    }

    @Test
    void theFirstNameIsWrittenLaterOnesLinkAndARecordGoesWithItsLastName() {
        HardLinks links = new HardLinks("execution=test", 1);
        HardLinks.Claim first = links.claim(file("a", "1:1", 2));
        assertThat(first.later()).isFalse();
        assertThat(first.group()).isPresent();
        HardLinks.Claim second = links.claim(file("b", "1:1", 2));
        assertThat(second.later()).isTrue();
        assertThat(second.group().orElseThrow().firstKey).isEqualTo("a");
        // The record went with the last name, so there is room for the next file.
        assertThat(links.claim(file("c", "1:2", 3)).group()).isPresent();
    }

    @Test
    void pastTheCapEveryNameIsCopiedOnItsOwn() {
        HardLinks links = new HardLinks("execution=test", 1);
        links.claim(file("a", "1:1", 5)); // its other names are never met: outside the location
        assertThat(links.claim(file("b", "1:2", 2))).isEqualTo(HardLinks.Claim.UNTRACKED);
        assertThat(links.claim(file("c", "1:2", 2))).isEqualTo(HardLinks.Claim.UNTRACKED);
        assertThat(links.claim(file("d", "1:1", 5)).later()).isTrue();
        assertThat(links.claim(new Entry("e", EntryType.FILE, 1, FileMetadata.NONE))).isEqualTo(HardLinks.Claim.UNTRACKED);
    }
}
