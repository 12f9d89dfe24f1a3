package dev.ferry.locations.s3;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Driver for S3 and S3-compatible object stores, reached by the control plane itself. */
public final class S3LocationDriver implements LocationDriver<S3Settings> {
    public static final String KIND = "s3";
    static final long MIN_PART_SIZE = 5L << 20;
    static final long MAX_PART_SIZE = 5L << 30;
    /** Parts this size are held in memory and so can be retried by the client; see S3Location. */
    static final long DEFAULT_PART_SIZE = 16L << 20;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Set<String> FIELDS = Set.of("endpoint", "region", "bucket", "prefix", "accessKey", "secretKey",
            "pathStyle", "partSize", "storageClass");
    /** DataSync's storage classes for S3 locations. */
    static final List<String> STORAGE_CLASSES = List.of("STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
            "GLACIER", "DEEP_ARCHIVE", "GLACIER_INSTANT_RETRIEVAL");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public S3Settings parse(Map<String, Object> raw) {
        SettingsReader reader = new SettingsReader(raw, "settings.", FIELDS);
        Optional<String> endpoint = reader.optionalString("endpoint");
        endpoint.ifPresent(S3LocationDriver::checkEndpoint);
        String bucket = reader.requireString("bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new InvalidSettingsException("settings.bucket",
                    "'" + bucket + "' is not a bucket name (3-63 lower-case letters, digits, dots and hyphens)");
        }
        String prefix = reader.optionalString("prefix").map(S3LocationDriver::normalizePrefix).orElse("");
        Optional<String> accessKey = reader.optionalString("accessKey");
        Optional<String> secretKey = reader.optionalString("secretKey");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new InvalidSettingsException(accessKey.isPresent() ? "settings.secretKey" : "settings.accessKey",
                    "accessKey and secretKey go together");
        }
        boolean pathStyle = reader.optionalBoolean("pathStyle").orElse(endpoint.isPresent());
        long partSize = reader.optionalLong("partSize", MIN_PART_SIZE, MAX_PART_SIZE).orElse(DEFAULT_PART_SIZE);
        String region = reader.optionalString("region").orElse("us-east-1");
        Optional<String> storageClass = reader.optionalString("storageClass");
        if (storageClass.isPresent() && !STORAGE_CLASSES.contains(storageClass.get())) {
            throw new InvalidSettingsException("settings.storageClass", "must be one of " + STORAGE_CLASSES + ", got '"
                    + storageClass.get() + "'");
        }
        return new S3Settings(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, partSize, storageClass,
                Optional.empty());
    }

    static void checkEndpoint(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("settings.endpoint", "must be an http:// or https:// URL, got '" + endpoint + "'");
        }
    }

    static String normalizePrefix(String prefix) {
        String trimmed = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        if (trimmed.isEmpty()) {
            return "";
        }
        String dir = trimmed.endsWith("/") ? trimmed : trimmed + "/";
        if (!Keys.isValid(dir)) {
            throw new InvalidSettingsException("settings.prefix", "'" + prefix + "' is not a valid key prefix");
        }
        return dir;
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("secretKey");
    }

    @Override
    public Reach reach() {
        return Reach.CONTROL_PLANE;
    }

    /** Without object tags, which only the store can tell. */
    @Override
    public LocationTraits traits(S3Settings settings) {
        return new LocationTraits(S3Location.CAPABILITIES, java.time.Duration.ofNanos(1));
    }

    @Override
    public Location open(S3Settings settings) {
        return new S3Location(settings);
    }
}
