package dev.ferry.locations.s3;

import java.util.Optional;

/**
 * Settings of an {@code s3} location: a bucket and key prefix on AWS S3 or any S3-compatible store.
 *
 * @param endpoint service URL for S3-compatible stores; empty for AWS
 * @param region signing region
 * @param bucket bucket name
 * @param prefix key prefix, empty or ending with {@code /}
 * @param accessKey access key id; empty to use the default credential chain
 * @param secretKey secret access key (a secret: never logged or returned)
 * @param pathStyle address the bucket in the path rather than the host name
 * @param partSize multipart part size in bytes; larger files are uploaded in parts
 */
public record S3Settings(
        Optional<String> endpoint,
        String region,
        String bucket,
        String prefix,
        Optional<String> accessKey,
        Optional<String> secretKey,
        boolean pathStyle,
        long partSize) {

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.orElse("aws") + ", region=" + region + ", bucket=" + bucket
                + ", prefix=" + prefix + ", accessKey=" + accessKey.orElse("(default chain)")
                + ", secretKey=" + (secretKey.isPresent() ? "(set)" : "(none)") + ", pathStyle=" + pathStyle
                + ", partSize=" + partSize + "]";
    }
}
