package dev.ferry.locations.s3;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One page of a ListObjectsV2 answer, as the store sends it: its objects and its common prefixes
 * apart, each in key order, and where the next page starts. Keys arrive URL-encoded when the
 * store honoured {@code encoding-type=url} (it says so in the answer), since XML 1.0 cannot carry
 * every character a key may hold; they are decoded here.
 *
 * <p>Read by scanning for the elements S3 defines rather than by a general XML parser: the answer
 * has no CDATA, comments or nesting of the same name where these values are, and the scan is a
 * fraction of the cost on a listing of many directories.
 *
 * @param continuation the token of the next page; null on the last
 */
record S3ListPage(List<Listed> objects, List<String> prefixes, String continuation) {

    /** An object as listed; {@code etag} and {@code lastModified} empty when the store left them out. */
    record Listed(String key, long size, Optional<String> etag, Optional<Instant> lastModified) {
    }

    private static final String CONTENTS = "<Contents>";
    private static final String CONTENTS_END = "</Contents>";
    private static final String PREFIXES = "<CommonPrefixes>";
    private static final String PREFIXES_END = "</CommonPrefixes>";

    static S3ListPage parse(String xml) {
        if (!"ListBucketResult".equals(XmlValues.root(xml))) {
            throw new IllegalArgumentException("not a listing: the answer's root element is '" + XmlValues.root(xml) + "'");
        }
        boolean urlEncoded = XmlValues.first(xml, "EncodingType").map("url"::equalsIgnoreCase).orElse(false);
        List<Listed> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        int at = 0;
        while (true) {
            int contents = xml.indexOf(CONTENTS, at);
            int prefix = xml.indexOf(PREFIXES, at);
            if (contents < 0 && prefix < 0) {
                break;
            }
            if (contents >= 0 && (prefix < 0 || contents < prefix)) {
                int end = closing(xml, contents, CONTENTS_END);
                String block = xml.substring(contents + CONTENTS.length(), end);
                String key = decode(required(block, "Key"), urlEncoded);
                long size;
                try {
                    size = Long.parseLong(required(block, "Size").trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the listed size of '" + key + "' is not a number");
                }
                Optional<Instant> lastModified = XmlValues.first(block, "LastModified").map(S3ListPage::instant);
                objects.add(new Listed(key, size, XmlValues.first(block, "ETag"), lastModified));
                at = end + CONTENTS_END.length();
            } else {
                int end = closing(xml, prefix, PREFIXES_END);
                prefixes.add(decode(required(xml.substring(prefix + PREFIXES.length(), end), "Prefix"), urlEncoded));
                at = end + PREFIXES_END.length();
            }
        }
        boolean truncated = XmlValues.first(xml, "IsTruncated").map(v -> v.trim().equals("true")).orElse(false);
        String next = XmlValues.first(xml, "NextContinuationToken").orElse(null);
        return new S3ListPage(objects, prefixes, truncated ? next : null);
    }

    private static int closing(String xml, int from, String end) {
        int at = xml.indexOf(end, from);
        if (at < 0) {
            throw new IllegalArgumentException("the listing ends inside an element (no " + end + ")");
        }
        return at;
    }

    private static String required(String block, String element) {
        return XmlValues.first(block, element)
                .orElseThrow(() -> new IllegalArgumentException("a listed entry without <" + element + ">"));
    }

    private static String decode(String value, boolean urlEncoded) {
        return urlEncoded ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value;
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a listed date that is not ISO 8601: '" + value + "'");
        }
    }
}
