package dev.ferry.locations.s3;

import dev.ferry.locations.Capability;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.UnsupportedCapabilityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * Object tags on one bucket. Not every S3-compatible store implements tagging (some answer 501,
 * some ignore the tagging header on a put), so whether this one does is asked once, by reading the
 * tags of a key that does not exist: a store with tagging answers "no such key". A store that
 * cannot be reached then is taken to keep tags (its calls fail on their own), and any later
 * "not implemented" settles it the other way.
 *
 * <p>Threading: safe for many threads; the probe may run more than once at first, to the same end.
 */
final class S3ObjectTags {
    private static final String PROBE_KEY = ".ferry-tagging-probe";

    private final String kind;
    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final AtomicReference<Boolean> supported = new AtomicReference<>();

    S3ObjectTags(String kind, S3Client client, String bucket, String prefix) {
        this.kind = kind;
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** Whether the store keeps object tags; one request the first time. */
    boolean supported() {
        Boolean known = supported.get();
        if (known != null) {
            return known;
        }
        boolean answer;
        try {
            client.getObjectTagging(b -> b.bucket(bucket).key(prefix + PROBE_KEY));
            answer = true;
        } catch (S3Exception e) {
            answer = !notImplemented(e);
        } catch (SdkException e) {
            answer = true;
        }
        supported.compareAndSet(null, answer);
        return supported.get();
    }

    /** The object's tags in the store's order. */
    Map<String, String> read(String key, String objectKey) {
        if (!supported()) {
            throw new UnsupportedCapabilityException(kind, Capability.OBJECT_TAGS);
        }
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            client.getObjectTagging(b -> b.bucket(bucket).key(objectKey)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
            return tags;
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(key);
        } catch (S3Exception e) {
            if (notImplemented(e)) {
                supported.set(false);
                throw new UnsupportedCapabilityException(kind, Capability.OBJECT_TAGS);
            }
            throw S3Location.failure(key, e);
        } catch (SdkException e) {
            throw S3Location.failure(key, e);
        }
    }

    /** Replaces the object's tags with {@code tags}; no tags removes them. */
    void write(String key, String objectKey, Map<String, String> tags) {
        requireWritable(key, tags);
        if (!supported()) {
            return; // Nothing to write and nothing kept.
        }
        try {
            if (tags.isEmpty()) {
                client.deleteObjectTagging(b -> b.bucket(bucket).key(objectKey));
            } else {
                client.putObjectTagging(b -> b.bucket(bucket).key(objectKey).tagging(tagging(tags)));
            }
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(key);
        } catch (S3Exception e) {
            if (notImplemented(e)) {
                supported.set(false);
                requireWritable(key, tags);
                return;
            }
            throw S3Location.failure(key, e);
        } catch (SdkException e) {
            throw S3Location.failure(key, e);
        }
    }

    /**
     * The {@code x-amz-tagging} header to send with a new object, if any: absent or no tags send
     * none. Tags for a store without tagging are refused before anything is written, never dropped.
     */
    Optional<String> forNewObject(String key, Optional<Map<String, String>> tags) {
        if (tags.isEmpty() || tags.get().isEmpty()) {
            return Optional.empty();
        }
        requireWritable(key, tags.get());
        StringBuilder header = new StringBuilder();
        tags.get().forEach((name, value) -> {
            if (!header.isEmpty()) {
                header.append('&');
            }
            header.append(SigV4Signer.uriEncode(name, false)).append('=').append(SigV4Signer.uriEncode(value, false));
        });
        return Optional.of(header.toString());
    }

    private void requireWritable(String key, Map<String, String> tags) {
        if (!tags.isEmpty() && !supported()) {
            throw new LocationException("OBJECT_TAGS_NOT_SUPPORTED", key + ": this store does not keep object tags, and "
                    + tags.size() + " are to be written; set ObjectTags=NONE to transfer without them");
        }
    }

    private static Tagging tagging(Map<String, String> tags) {
        List<Tag> set = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        return Tagging.builder().tagSet(set).build();
    }

    private static boolean notImplemented(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 501 || "NotImplemented".equals(code);
    }
}
