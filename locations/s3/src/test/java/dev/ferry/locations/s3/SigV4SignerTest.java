package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {
    /** AWS's published example for S3 (GET Object, "Signature Calculations for the Authorization Header"). */
    @Test
    void signsAwsPublishedExampleRequest() {
        SortedMap<String, String> headers = new TreeMap<>();
        headers.put("host", "examplebucket.s3.amazonaws.com");
        headers.put("range", "bytes=0-9");
        headers.put("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        headers.put("x-amz-date", "20130524T000000Z");
        String authorization = new SigV4Signer("us-east-1").authorization("GET", "/test.txt", "", headers, "20130524T000000Z",
                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertThat(authorization).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void aSignerKeepsSigningCorrectlyWithTheKeyItKept() {
        SigV4Signer signer = new SigV4Signer("us-east-1");
        SortedMap<String, String> headers = new TreeMap<>();
        headers.put("host", "examplebucket.s3.amazonaws.com");
        headers.put("range", "bytes=0-9");
        headers.put("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        headers.put("x-amz-date", "20130524T000000Z");
        for (int i = 0; i < 3; i++) {
            assertThat(signer.authorization("GET", "/test.txt", "", headers, "20130524T000000Z", "AKIAIOSFODNN7EXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).endsWith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        }
        // Another secret the same day derives its own key.
        assertThat(signer.authorization("GET", "/test.txt", "", headers, "20130524T000000Z", "AKIAIOSFODNN7EXAMPLE", "another"))
                .doesNotEndWith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void timestampsFollowTheClockSecondBySecond() {
        java.time.Instant t = java.time.Instant.parse("2026-12-06T23:59:59.250Z");
        assertThat(SigV4Signer.timestamp(t)).isEqualTo("20261206T235959Z");
        assertThat(SigV4Signer.timestamp(t.plusMillis(500))).isEqualTo("20261206T235959Z");
        assertThat(SigV4Signer.timestamp(t.plusMillis(750))).isEqualTo("20261207T000000Z");
        assertThat(SigV4Signer.timestamp(t)).isEqualTo("20261206T235959Z");
    }

    @Test
    void encodesEveryByteButUnreservedOnesAndKeepsSlashesInPaths() {
        assertThat(SigV4Signer.uriEncode("a b/ü+~*", true)).isEqualTo("a%20b/%C3%BC%2B~%2A");
        assertThat(SigV4Signer.uriEncode("a/b", false)).isEqualTo("a%2Fb");
    }
}
