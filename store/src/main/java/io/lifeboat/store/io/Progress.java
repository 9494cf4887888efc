package io.lifeboat.store.io;

/**
 * How far a backup is, for job progress: called from worker threads as work finishes. For a tree,
 * {@code bytesTotal} grows while the walk finds files; it is final once the walk is done.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total, stored) -> { };

    void update(long bytesDone, long bytesTotal, long bytesStored);
}
