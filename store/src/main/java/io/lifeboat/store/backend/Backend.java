package io.lifeboat.store.backend;

import java.io.IOException;
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

    /** Stores the concatenation of {@code parts} as one object, atomically (a backend may write them gathered). */
    default void put(String name, List<byte[]> parts) throws IOException {
        put(name, concat(parts));
    }

    static byte[] concat(List<byte[]> parts) {
        int length = 0;
        for (byte[] p : parts) {
            length = Math.addExact(length, p.length);
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The whole object; {@link java.nio.file.NoSuchFileException} when there is none. */
    byte[] get(String name) throws IOException;

    /** {@code length} bytes at {@code offset}; fewer only if the object ends first. */
    byte[] get(String name, long offset, int length) throws IOException;

    /** The object's size; {@link java.nio.file.NoSuchFileException} when there is none. */
    long size(String name) throws IOException;

    boolean exists(String name) throws IOException;

    /** Names under a prefix (a "directory", ending in '/'), sorted. */
    List<String> list(String prefix) throws IOException;

    /** Deletes an object; deleting one that does not exist is not an error. */
    void delete(String name) throws IOException;
}
