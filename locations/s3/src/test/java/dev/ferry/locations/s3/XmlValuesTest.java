package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XmlValuesTest {
    @Test
    void readsTheFirstElementWithEntitiesDecoded() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult><ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;"
                + "</ETag><Key>a&amp;b&#233;</Key></CompleteMultipartUploadResult>";
        assertThat(XmlValues.root(xml)).isEqualTo("CompleteMultipartUploadResult");
        assertThat(XmlValues.first(xml, "ETag")).contains("\"3858f62230ac3c915f300c664312c11f-9\"");
        assertThat(XmlValues.first(xml, "Key")).contains("a&bé");
        assertThat(XmlValues.first(xml, "UploadId")).isEmpty();
        assertThat(XmlValues.root("<Error><Code>InternalError</Code></Error>")).isEqualTo("Error");
    }
}
