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
 * @param storageClass the storage class new objects get; empty for the store's default
 * @param serverCertificate PEM certificates to trust for HTTPS instead of the JDK's authorities
 *     (a private CA, or the server's own certificate); empty to use the JDK's
 */
public record S3Settings(
        Optional<String> endpoint,
        String region,
        String bucket,
        String prefix,
        Optional<String> accessKey,
        Optional<String> secretKey,
        boolean pathStyle,
        long partSize,
        Optional<String> storageClass,
        Optional<String> serverCertificate) {

    /** On the store's default storage class, trusting the JDK's authorities. */
    public S3Settings(Optional<String> endpoint, String region, String bucket, String prefix, Optional<String> accessKey,
            Optional<String> secretKey, boolean pathStyle, long partSize) {
        this(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, partSize, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.orElse("aws") + ", region=" + region + ", bucket=" + bucket
                + ", prefix=" + prefix + ", accessKey=" + accessKey.orElse("(default chain)")
                + ", secretKey=" + (secretKey.isPresent() ? "(set)" : "(none)") + ", pathStyle=" + pathStyle
                + ", partSize=" + partSize + ", storageClass=" + storageClass.orElse("(default)")
                + ", serverCertificate=" + (serverCertificate.isPresent() ? "(set)" : "(JDK's)") + "]";
    }
}
