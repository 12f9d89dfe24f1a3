package dev.ferry.locations.azure;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Driver for Azure Blob Storage containers (DataSync's Azure Blob location: container URL, SAS
 * token, block blobs, access tier). Reached through the agents a location names, or by the
 * control plane itself when it names none.
 */
public final class AzureBlobLocationDriver implements LocationDriver<AzureBlobSettings> {
    public static final String KIND = "azure-blob";
    static final long MIN_BLOCK_SIZE = 1L << 20;
    /** Azure's largest block is 4,000 MiB; Ferry holds a block in memory to retry it, so it stops far lower. */
    static final long MAX_BLOCK_SIZE = 100L << 20;
    static final long DEFAULT_BLOCK_SIZE = 8L << 20;
    static final List<String> ACCESS_TIERS = List.of("HOT", "COOL", "COLD", "ARCHIVE");
    private static final Set<String> FIELDS = Set.of("containerUrl", "sasToken", "subdirectory", "accessTier", "blobType",
            "blockSize");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public AzureBlobSettings parse(Map<String, Object> raw) {
        SettingsReader reader = new SettingsReader(raw, "settings.", FIELDS);
        String url = reader.requireString("containerUrl");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("settings.containerUrl", "is not a URL: '" + url + "'");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getPath() == null || uri.getPath().replaceAll("^/+|/+$", "").isEmpty()) {
            throw new InvalidSettingsException("settings.containerUrl",
                    "must be https://ACCOUNT.blob.core.windows.net/CONTAINER (http allowed for emulators), got '" + url + "'");
        }
        if (uri.getQuery() != null) {
            throw new InvalidSettingsException("settings.containerUrl", "must not carry a query; the SAS token goes in sasToken");
        }
        String sas = reader.requireString("sasToken");
        String token = sas.startsWith("?") ? sas.substring(1) : sas;
        if (!token.contains("sig=")) {
            throw new InvalidSettingsException("settings.sasToken", "is not a shared access signature (it has no sig=)");
        }
        String blobType = reader.optionalString("blobType").orElse("BLOCK");
        if (!blobType.equals("BLOCK")) {
            throw new InvalidSettingsException("settings.blobType", "must be BLOCK, got '" + blobType + "'");
        }
        Optional<String> tier = reader.optionalString("accessTier");
        if (tier.isPresent() && !ACCESS_TIERS.contains(tier.get())) {
            throw new InvalidSettingsException("settings.accessTier", "must be one of " + ACCESS_TIERS + ", got '" + tier.get() + "'");
        }
        String prefix = reader.optionalString("subdirectory").map(AzureBlobLocationDriver::prefix).orElse("");
        long blockSize = reader.optionalLong("blockSize", MIN_BLOCK_SIZE, MAX_BLOCK_SIZE).orElse(DEFAULT_BLOCK_SIZE);
        return new AzureBlobSettings(url.replaceAll("/+$", ""), token, prefix, tier, blockSize);
    }

    private static String prefix(String value) {
        String trimmed = value.replaceAll("^/+", "");
        if (trimmed.isEmpty()) {
            return "";
        }
        String dir = trimmed.endsWith("/") ? trimmed : trimmed + "/";
        if (!Keys.isValid(dir)) {
            throw new InvalidSettingsException("settings.subdirectory", "'" + value + "' is not a valid blob name prefix");
        }
        return dir;
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("sasToken");
    }

    @Override
    public Reach reach() {
        return Reach.EITHER;
    }

    @Override
    public Location open(AzureBlobSettings settings) {
        return new AzureBlobLocation(settings);
    }
}
