package dev.ferry.locations.s3;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DataSync's "object storage" location: a bucket on a self-hosted or third-party S3-compatible
 * server (MinIO, Ceph, NetApp StorageGRID, Wasabi, ...) named by host, port and protocol, with a
 * PEM certificate to trust where the server's is signed by a private CA. Reached through the
 * agents the location names, or by the control plane itself when it names none. Settings use
 * DataSync's names.
 */
public final class ObjectStorageLocationDriver implements LocationDriver<S3Settings> {
    public static final String KIND = "object-storage";
    private static final Set<String> FIELDS = Set.of("serverHostname", "serverPort", "serverProtocol", "bucketName",
            "subdirectory", "accessKey", "secretKey", "serverCertificate", "partSize");
    /** What S3-compatible servers accept beyond S3's own rule: upper case and underscores too. */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public S3Settings parse(java.util.Map<String, Object> raw) {
        SettingsReader reader = new SettingsReader(raw, "settings.", FIELDS);
        String host = reader.requireString("serverHostname");
        String protocol = reader.optionalString("serverProtocol").orElse("HTTPS");
        if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
            throw new InvalidSettingsException("settings.serverProtocol", "must be HTTP or HTTPS, got '" + protocol + "'");
        }
        int port = reader.optionalLong("serverPort", 1, 65535).map(Long::intValue).orElse(protocol.equals("HTTPS") ? 443 : 80);
        String endpoint = endpoint(protocol.toLowerCase(java.util.Locale.ROOT), host, port);
        String bucket = reader.requireString("bucketName");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new InvalidSettingsException("settings.bucketName",
                    "'" + bucket + "' is not a bucket name (letters, digits, dots, hyphens and underscores, 2-255)");
        }
        String prefix = reader.optionalString("subdirectory").map(ObjectStorageLocationDriver::subdirectory).orElse("");
        Optional<String> accessKey = reader.optionalString("accessKey");
        Optional<String> secretKey = reader.optionalString("secretKey");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new InvalidSettingsException(accessKey.isPresent() ? "settings.secretKey" : "settings.accessKey",
                    "accessKey and secretKey go together");
        }
        Optional<String> certificate = reader.optionalString("serverCertificate");
        if (certificate.isPresent()) {
            if (protocol.equals("HTTP")) {
                throw new InvalidSettingsException("settings.serverCertificate", "needs serverProtocol HTTPS");
            }
            TrustedCertificates.check(certificate.get(), "settings.serverCertificate");
        }
        long partSize = reader.optionalLong("partSize", S3LocationDriver.MIN_PART_SIZE, S3LocationDriver.MAX_PART_SIZE)
                .orElse(S3LocationDriver.DEFAULT_PART_SIZE);
        return new S3Settings(Optional.of(endpoint), "us-east-1", bucket, prefix, accessKey, secretKey, true, partSize,
                Optional.empty(), certificate);
    }

    private static String endpoint(String scheme, String host, int port) {
        try {
            URI uri = new URI(scheme, null, host, port, null, null, null);
            if (uri.getHost() == null || !uri.getHost().equals(host) && !uri.getHost().equals("[" + host + "]")) {
                throw new URISyntaxException(host, "not a host name");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new InvalidSettingsException("settings.serverHostname", "'" + host + "' is not a host name or IP address");
        }
    }

    /** DataSync's subdirectory is the key prefix: a leading slash is allowed, as in "/backups/2026". */
    private static String subdirectory(String value) {
        try {
            return S3LocationDriver.normalizePrefix(value);
        } catch (InvalidSettingsException e) {
            throw new InvalidSettingsException("settings.subdirectory", "'" + value + "' is not a valid key prefix");
        }
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("secretKey");
    }

    @Override
    public Reach reach() {
        return Reach.EITHER;
    }

    /** Without object tags, which only the store can tell. */
    @Override
    public LocationTraits traits(S3Settings settings) {
        return new LocationTraits(S3Location.CAPABILITIES, java.time.Duration.ofNanos(1));
    }

    @Override
    public Location open(S3Settings settings) {
        return new S3Location(settings, KIND);
    }
}
