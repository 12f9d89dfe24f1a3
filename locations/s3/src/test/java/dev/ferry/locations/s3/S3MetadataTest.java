package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3MetadataTest {
    @Test
    void asciiValuesTravelAsTheyAreAndOthersAsEncodedWords() {
        assertThat(S3Metadata.toHeaderValue("1614834367123456789ns")).isEqualTo("1614834367123456789ns");
        for (String value : new String[] {"jürgen", "目录/文件", " leading", "trailing ", "=?UTF-8?B?looks-encoded?=", "tab\there", ""}) {
            String header = S3Metadata.toHeaderValue(value);
            assertThat(header).matches("[\\x20-\\x7e]*");
            assertThat(S3Metadata.fromHeaderValue(header)).isEqualTo(value);
        }
    }
}
