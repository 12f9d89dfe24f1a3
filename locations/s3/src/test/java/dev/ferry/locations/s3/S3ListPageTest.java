package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Listing pages as S3 writes them; the S3 servers of the other tests list real buckets. */
class S3ListPageTest {

    @Test
    void objectsAndPrefixesAreReadWithKeysDecodedAsTheAnswerSays() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>d%2F</Prefix>
                <KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><EncodingType>url</EncodingType>
                <IsTruncated>true</IsTruncated><NextContinuationToken>tok/en==</NextContinuationToken>
                <Contents><Key>d/a+b%2Bc%C3%BC%01</Key><LastModified>2026-12-06T20:08:38.000Z</LastModified>
                <ETag>&quot;0123&quot;</ETag><Size>42</Size><Owner><ID>x</ID><DisplayName>&lt;Contents&gt;</DisplayName></Owner>
                <StorageClass>STANDARD</StorageClass></Contents>
                <Contents><Key>d/z</Key><Size>0</Size></Contents>
                <CommonPrefixes><Prefix>d/sub%20dir/</Prefix></CommonPrefixes></ListBucketResult>""";
        S3ListPage page = S3ListPage.parse(xml);
        assertThat(page.objects()).containsExactly(
                new S3ListPage.Listed("d/a b+cü\u0001", 42, Optional.of("\"0123\""), Optional.of(Instant.parse("2026-12-06T20:08:38Z"))),
                new S3ListPage.Listed("d/z", 0, Optional.empty(), Optional.empty()));
        assertThat(page.prefixes()).containsExactly("d/sub dir/");
        assertThat(page.continuation()).isEqualTo("tok/en==");
    }

    @Test
    void keysAreTakenAsTheyAreWhenTheStoreDidNotEncodeThem() {
        S3ListPage page = S3ListPage.parse("<ListBucketResult><IsTruncated>false</IsTruncated><NextContinuationToken>ignored"
                + "</NextContinuationToken><Contents><Key>a+b%20 &amp; c</Key><Size>1</Size></Contents></ListBucketResult>");
        assertThat(page.objects()).extracting(S3ListPage.Listed::key).containsExactly("a+b%20 & c");
        assertThat(page.continuation()).as("not truncated: no next page").isNull();
    }

    @Test
    void anAnswerThatIsNotAWholeListingIsRefused() {
        assertThatThrownBy(() -> S3ListPage.parse("<Error><Code>x</Code></Error>")).hasMessageContaining("'Error'");
        assertThatThrownBy(() -> S3ListPage.parse("<ListBucketResult><Contents><Key>k</Key><Size>1</Size>"))
                .hasMessageContaining("</Contents>");
        assertThatThrownBy(() -> S3ListPage.parse("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"))
                .hasMessageContaining("<Key>");
        assertThatThrownBy(() -> S3ListPage.parse("<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>"))
                .hasMessageContaining("size of 'k'");
    }
}
