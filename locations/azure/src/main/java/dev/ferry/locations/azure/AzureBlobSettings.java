package dev.ferry.locations.azure;

import java.util.Optional;

/**
 * Settings of an {@code azure-blob} location: a container (and a prefix in it) on Azure Blob
 * Storage or a compatible service, reached with a SAS token.
 *
 * @param containerUrl the container's URL, without a query ({@code https://ACCOUNT.blob.core.windows.net/CONTAINER})
 * @param sasToken shared access signature with read, write, list and delete rights (a secret)
 * @param prefix blob name prefix, empty or ending with {@code /}
 * @param accessTier tier of new blobs ({@code HOT}, {@code COOL}, {@code COLD}, {@code ARCHIVE}); empty for the account's default
 * @param blockSize size of the blocks large blobs are staged in; smaller files go up in one request
 */
public record AzureBlobSettings(String containerUrl, String sasToken, String prefix, Optional<String> accessTier, long blockSize) {

    @Override
    public String toString() {
        return "AzureBlobSettings[containerUrl=" + containerUrl + ", sasToken=(set), prefix=" + prefix + ", accessTier="
                + accessTier.orElse("(default)") + ", blockSize=" + blockSize + "]";
    }
}
