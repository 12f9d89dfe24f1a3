package dev.ferry.engine.transfer;

/**
 * What a transfer tells its owner while it runs. Called from many threads; implementations are
 * quick and thread-safe.
 */
public interface ExecutionListener {
    default void phaseStarted(Phase phase) {
    }

    default void itemFailed(FileFailure failure) {
    }

    /** A file arrived, and was verified when verification is on. */
    default void fileTransferred(String key, long size) {
    }
}
