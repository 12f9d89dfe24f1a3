package dev.ferry.engine.transfer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** DataSync's execution counters, updated from many threads; {@link #snapshot()} names them as DataSync does. */
public final class ExecutionCounters {
    final LongAdder filesListedAtSource = new LongAdder();
    final LongAdder foldersListedAtSource = new LongAdder();
    final LongAdder filesPrepared = new LongAdder();
    final LongAdder estimatedFilesToTransfer = new LongAdder();
    final LongAdder estimatedBytesToTransfer = new LongAdder();
    final LongAdder filesTransferred = new LongAdder();
    final LongAdder foldersTransferred = new LongAdder();
    final LongAdder bytesTransferred = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    final LongAdder filesSkipped = new LongAdder();
    final LongAdder foldersSkipped = new LongAdder();
    final LongAdder filesVerified = new LongAdder();
    final LongAdder filesFailedPrepare = new LongAdder();
    final LongAdder filesFailedTransfer = new LongAdder();
    final LongAdder filesFailedVerify = new LongAdder();
    final LongAdder foldersPrepared = new LongAdder();
    final LongAdder estimatedFoldersToTransfer = new LongAdder();
    final LongAdder foldersVerified = new LongAdder();
    final LongAdder foldersFailedPrepare = new LongAdder();
    final LongAdder foldersFailedTransfer = new LongAdder();
    final LongAdder foldersFailedVerify = new LongAdder();
    final LongAdder foldersFailedDelete = new LongAdder();
    final LongAdder foldersListedAtDestinationForDelete = new LongAdder();
    final LongAdder estimatedFoldersToDelete = new LongAdder();
    final LongAdder filesListedAtDestinationForDelete = new LongAdder();
    final LongAdder estimatedFilesToDelete = new LongAdder();
    final LongAdder filesDeleted = new LongAdder();
    final LongAdder foldersDeleted = new LongAdder();
    final LongAdder filesFailedDelete = new LongAdder();
    private final LongSupplier bytesCompressed;

    /** @param bytesCompressed payload bytes that crossed the data channel, compressed */
    public ExecutionCounters(LongSupplier bytesCompressed) {
        this.bytesCompressed = bytesCompressed;
    }

    public long failures() {
        return filesFailedPrepare.sum() + filesFailedTransfer.sum() + filesFailedVerify.sum() + filesFailedDelete.sum()
                + foldersFailedPrepare.sum() + foldersFailedTransfer.sum() + foldersFailedVerify.sum() + foldersFailedDelete.sum();
    }

    /** The verify-failure counter of the entry a key names: a directory's key ends with '/'. */
    LongAdder failedVerify(String key) {
        return dev.ferry.locations.Keys.isDirectory(key) ? foldersFailedVerify : filesFailedVerify;
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("FilesListedAtSource", filesListedAtSource.sum());
        map.put("FoldersListedAtSource", foldersListedAtSource.sum());
        map.put("FilesPrepared", filesPrepared.sum());
        map.put("EstimatedFilesToTransfer", estimatedFilesToTransfer.sum());
        map.put("EstimatedBytesToTransfer", estimatedBytesToTransfer.sum());
        map.put("FilesTransferred", filesTransferred.sum());
        map.put("FoldersTransferred", foldersTransferred.sum());
        map.put("BytesTransferred", bytesTransferred.sum());
        map.put("BytesWritten", bytesWritten.sum());
        map.put("BytesCompressed", bytesCompressed.getAsLong());
        map.put("FilesSkipped", filesSkipped.sum());
        map.put("FoldersSkipped", foldersSkipped.sum());
        map.put("FilesVerified", filesVerified.sum());
        map.put("FilesFailedPrepare", filesFailedPrepare.sum());
        map.put("FilesFailedTransfer", filesFailedTransfer.sum());
        map.put("FilesFailedVerify", filesFailedVerify.sum());
        map.put("FilesListedAtDestinationForDelete", filesListedAtDestinationForDelete.sum());
        map.put("EstimatedFilesToDelete", estimatedFilesToDelete.sum());
        map.put("FilesDeleted", filesDeleted.sum());
        map.put("FilesFailedDelete", filesFailedDelete.sum());
        map.put("FoldersPrepared", foldersPrepared.sum());
        map.put("EstimatedFoldersToTransfer", estimatedFoldersToTransfer.sum());
        map.put("FoldersVerified", foldersVerified.sum());
        map.put("FoldersFailedPrepare", foldersFailedPrepare.sum());
        map.put("FoldersFailedTransfer", foldersFailedTransfer.sum());
        map.put("FoldersFailedVerify", foldersFailedVerify.sum());
        map.put("FoldersListedAtDestinationForDelete", foldersListedAtDestinationForDelete.sum());
        map.put("EstimatedFoldersToDelete", estimatedFoldersToDelete.sum());
        map.put("FoldersDeleted", foldersDeleted.sum());
        map.put("FoldersFailedDelete", foldersFailedDelete.sum());
        return map;
    }
}
