package dev.ferry.locations.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests whose payload is not signed ({@code UNSIGNED-PAYLOAD}):
 * the body is protected by TLS on the way and by the store's checksum of what it keeps, so it is
 * not hashed twice. The signing key changes once a day; it is derived once and kept.
 *
 * <p>Threading: safe for many threads.
 */
final class SigV4Signer {
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private volatile SigningKey key;

    /**
     * A day's signing key, and a MAC already keyed with it. Each request signs with a copy of that
     * MAC: looking one up and keying it anew was most of what signing cost.
     */
    private record SigningKey(String accessKey, String secretKey, String date, byte[] bytes, Mac keyed) {
    }

    /** Where every SHA-256 starts; copied, not looked up, per request. */
    private static final MessageDigest SHA256 = newSha256();

    /** The {@code x-amz-date} of the current second: requests made within it share one. */
    private record Stamp(long epochSecond, String text) {
    }

    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    SigV4Signer(String region) {
        this.region = region;
    }

    /** The {@code x-amz-date} value for a request made at {@code now}. */
    static String timestamp(Instant now) {
        Stamp last = lastStamp;
        if (last.epochSecond == now.getEpochSecond()) {
            return last.text;
        }
        String text = STAMP.format(now);
        lastStamp = new Stamp(now.getEpochSecond(), text);
        return text;
    }

    /**
     * The Authorization header for a request.
     *
     * @param canonicalUri the request path exactly as sent, already URI-encoded
     * @param canonicalQuery the query string, its names sorted and encoded, without the {@code ?}
     * @param headers every header to sign, names in lower case, sorted; must include {@code host},
     *     {@code x-amz-date} and {@code x-amz-content-sha256}
     */
    String authorization(String method, String canonicalUri, String canonicalQuery, SortedMap<String, String> headers,
            String amzDate, String accessKey, String secretKey) {
        StringBuilder canonical = new StringBuilder(1024).append(method).append('\n').append(canonicalUri).append('\n')
                .append(canonicalQuery).append('\n');
        StringBuilder signed = new StringBuilder(128);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            canonical.append(header.getKey()).append(':').append(canonicalValue(header.getValue())).append('\n');
            if (!signed.isEmpty()) {
                signed.append(';');
            }
            signed.append(header.getKey());
        }
        canonical.append('\n').append(signed).append('\n').append(headers.get("x-amz-content-sha256"));
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(sign(signingKey(accessKey, secretKey, date), toSign));
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + signature;
    }

    private SigningKey signingKey(String accessKey, String secretKey, String date) {
        SigningKey current = key;
        if (current != null && current.date.equals(date) && current.accessKey.equals(accessKey) && current.secretKey.equals(secretKey)) {
            return current;
        }
        byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        SigningKey derived = new SigningKey(accessKey, secretKey, date, k, keyedMac(k));
        key = derived;
        return derived;
    }

    private static byte[] sign(SigningKey key, String data) {
        Mac mac;
        try {
            mac = (Mac) key.keyed.clone(); // The original is only ever copied, so threads share it safely.
        } catch (CloneNotSupportedException e) {
            mac = keyedMac(key.bytes);
        }
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Trimmed, with runs of spaces made one, as the signature's canonical form wants. */
    private static String canonicalValue(String value) {
        String trimmed = value.strip();
        return trimmed.contains("  ") ? trimmed.replaceAll(" {2,}", " ") : trimmed;
    }

    /**
     * Encodes a path or query component as SigV4 wants: unreserved characters kept, every other
     * byte of the UTF-8 form as {@code %XX}; {@code /} kept when {@code keepSlash}.
     */
    static String uriEncode(String text, boolean keepSlash) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
                    || c == '~' || keepSlash && c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return ((MessageDigest) SHA256.clone()).digest(data);
        } catch (CloneNotSupportedException e) {
            return newSha256().digest(data);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        return keyedMac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
