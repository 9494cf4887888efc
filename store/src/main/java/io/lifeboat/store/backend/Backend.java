package io.lifeboat.store.backend;

import java.io.IOException;
import java.nio.ByteBuffer;
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
}
