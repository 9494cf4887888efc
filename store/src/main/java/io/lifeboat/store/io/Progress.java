package io.lifeboat.store.io;

/**
 * How far a backup is, for job progress: called from worker threads as work finishes.
 * {@code bytesDone} counts holes too (they are done without reading); {@code bytesRead} only what
 * was read from the source, which is what a read-rate limit measures. For a tree,
 * {@code bytesTotal} grows while the walk finds files; it is final once the walk is done.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total, read, stored) -> { };

    void update(long bytesDone, long bytesTotal, long bytesRead, long bytesStored);
}
