package dev.ferry.locations.s3.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3-compatible server on loopback, run by a test. */
public interface S3TestServer extends AutoCloseable {
    String ACCESS_KEY = "ferry-test-access";
    String SECRET_KEY = "ferry-test-secret";

    URI endpoint();

    /** A client for checking what the server holds, independent of Ferry's driver. */
    default S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates a bucket with a unique name and returns the name. */
    default String createBucket() {
        String bucket = "ferry-" + UUID.randomUUID().toString().substring(0, 18);
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    /** Settings of an {@code s3} location on this server; an empty prefix is the whole bucket. */
    default Map<String, Object> locationSettings(String bucket, String prefix) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("endpoint", endpoint().toString());
        raw.put("bucket", bucket);
        if (!prefix.isEmpty()) {
            raw.put("prefix", prefix);
        }
        raw.put("accessKey", ACCESS_KEY);
        raw.put("secretKey", SECRET_KEY);
        return raw;
    }

    @Override
    void close();
}
