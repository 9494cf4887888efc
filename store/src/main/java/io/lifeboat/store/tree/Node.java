package io.lifeboat.store.tree;

import io.lifeboat.store.crypto.ChunkId;
import java.util.List;
import java.util.SortedMap;

/**
 * One entry of a directory volume. {@code path} is relative to the volume's root with '/'
 * separators ("" is the root itself). {@code target} is a symlink's target, or for a hard link the
 * path of the first node of the same file in this volume. A file's {@code extents} cover its data;
 * the gaps between them (and up to {@code size}) are holes.
 */
public record Node(Type type, String path, int mode, int uid, int gid, long mtimeNanos, long atimeNanos,
                   long ctimeNanos, long inode, long size, String target, SortedMap<String, byte[]> xattrs,
                   List<Extent> extents) {

    /** What a node is; {@code OTHER} (device, fifo, socket) is recorded but not restored. */
    public enum Type {
        DIRECTORY, FILE, SYMLINK, HARDLINK, OTHER
    }

    /** A stored run of a file: {@code length} bytes at {@code offset}, as one chunk. */
    public record Extent(long offset, ChunkId chunk, int length) {
    }

    /** This node with other extended attributes and extents. */
    public Node with(SortedMap<String, byte[]> otherXattrs, List<Extent> otherExtents) {
        return new Node(type, path, mode, uid, gid, mtimeNanos, atimeNanos, ctimeNanos, inode, size, target,
                otherXattrs, otherExtents);
    }

    /** Whether {@code path} is {@code subtree} or lies under it ("" holds everything). */
    public static boolean within(String subtree, String path) {
        return subtree.isEmpty() || path.equals(subtree) || path.startsWith(subtree + "/");
    }

    /**
     * The order of a node stream: a directory before what it holds, names within a directory in
     * {@link String#compareTo} order, a subtree whole before its next sibling ("a", "a/b", "a-c").
     */
    public static int treeOrder(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x == '/' ? -1 : y == '/' ? 1 : x - y; // a name that ends sorts before its extensions
            }
        }
        return a.length() - b.length();
    }
}
