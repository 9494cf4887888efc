package io.lifeboat.store.backend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Where a repository's objects live: a local directory or an S3 bucket and prefix. Names are
 * slash-separated paths. Every implementation must pass {@code BackendContract}.
 *
 * <p>Publishing is atomic: after {@link #put} returns, readers see the whole object; before, they
 * see nothing (never a prefix). Objects are never modified in place; a name is written once.
 */
public interface Backend {

    /** Stores an object under a name, atomically. Replacing an existing object is allowed (same bytes). */
    void put(String name, byte[] bytes) throws IOException;

    /**
     * Stores {@code data}'s remaining bytes as one object, atomically (its position is left as it
     * was). A backend may write a direct buffer where it lies.
     */
    default void put(String name, ByteBuffer data) throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.get(data.position(), bytes);
        put(name, bytes);
    }

    /**
     * Starts an object written in pieces whose name is known only at the end (a pack is named by its
     * header, which comes last). Nothing is visible until {@link Upload#publish}; this default
     * gathers the pieces in memory and {@link #put}s them, which is what an object store does anyway.
     */
    default Upload upload() {
        return new Upload() {
            private byte[] bytes = new byte[0];
            private int length;

            @Override
            public void write(ByteBuffer piece) {
                int n = piece.remaining();
                if (bytes.length - length < n) {
                    bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + n));
                }
                piece.get(piece.position(), bytes, length, n);
                length += n;
            }

            @Override
            public void publish(String name) throws IOException {
                put(name, ByteBuffer.wrap(bytes, 0, length));
            }

            @Override
            public void close() {
                bytes = null;
            }
        };
    }

    /** An object being written by {@link #upload()}: pieces in order, then its name. */
    interface Upload extends AutoCloseable {
        /** Appends {@code piece}'s remaining bytes (its position is left as it was); the buffer is free once this returns. */
        void write(ByteBuffer piece) throws IOException;

        /** Makes the object visible under {@code name}, atomically, as {@link #put} would. */
        void publish(String name) throws IOException;

        /** Abandons the object unless it was published; its partial bytes are discarded. */
        @Override
        void close();
    }

    /** The whole object; {@link java.nio.file.NoSuchFileException} when there is none. */
    byte[] get(String name) throws IOException;

    /** {@code length} bytes at {@code offset}; fewer only if the object ends first. */
    byte[] get(String name, long offset, int length) throws IOException;

    /**
     * Reads the object's bytes from {@code offset} into {@code into}'s remaining room, stopping
     * early only where the object ends. A backend may read into a direct buffer where it lies.
     */
    default void read(String name, long offset, ByteBuffer into) throws IOException {
        into.put(get(name, offset, into.remaining()));
    }

    /** A hint that the object will be read soon: a backend may start fetching it. */
    default void prefetch(String name) {
    }

    /** The object's size; {@link java.nio.file.NoSuchFileException} when there is none. */
    long size(String name) throws IOException;

    boolean exists(String name) throws IOException;

    /** Names under a prefix (a "directory", ending in '/'), sorted. */
    List<String> list(String prefix) throws IOException;

    /** Deletes an object; deleting one that does not exist is not an error. */
    void delete(String name) throws IOException;

    /**
     * Deletes what uploads a crashed or killed writer left half-written and has not touched since
     * {@code untouchedSince}; returns how many. An object store publishes whole objects or nothing,
     * so by default there is nothing to delete.
     */
    default int deleteAbandonedUploads(Instant untouchedSince) throws IOException {
        return 0;
    }
}
