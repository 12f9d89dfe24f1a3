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
    final LongAdder foldersFailed = new LongAdder();
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
        return filesFailedPrepare.sum() + filesFailedTransfer.sum() + filesFailedVerify.sum() + foldersFailed.sum()
                + filesFailedDelete.sum();
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
        map.put("FoldersFailed", foldersFailed.sum());
        map.put("FilesListedAtDestinationForDelete", filesListedAtDestinationForDelete.sum());
        map.put("EstimatedFilesToDelete", estimatedFilesToDelete.sum());
        map.put("FilesDeleted", filesDeleted.sum());
        map.put("FoldersDeleted", foldersDeleted.sum());
        map.put("FilesFailedDelete", filesFailedDelete.sum());
        return map;
    }
}
