package io.lifeboat.store.tree;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.ChunkedStream;
import io.lifeboat.store.repository.Repository;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A directory volume: the node stream (every {@link Node}, parents before children) is stored as
 * chunks of its own, cut by content-defined chunking like file contents, so an unchanged part of
 * a large tree's metadata deduplicates across backups; the manifest lists those chunks. Encoding
 * in docs/store-format.md, "Tree manifest".
 */
public record TreeManifest(int nodes, ChunkedStream.Stored stream) {
    static final byte[] MAGIC = {'L', 'B', 'T', 'R', 'E', 'E', '0', '1'};
    private static final Node.Type[] TYPES = Node.Type.values();

    public static boolean is(byte[] manifest) {
        return manifest.length >= MAGIC.length && Arrays.equals(manifest, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + stream.encodedLength());
        return stream.putTo(b.put(MAGIC).putInt(nodes)).array();
    }

    public static TreeManifest decode(String name, byte[] bytes) throws CorruptBlobException {
        if (!is(bytes) || bytes.length < MAGIC.length + 16) {
            throw new CorruptBlobException("manifest " + name + ": not a tree manifest");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        int nodes = b.getInt();
        ChunkedStream.Stored stream = ChunkedStream.Stored.takeFrom(b);
        if (nodes < 0 || stream == null) {
            throw new CorruptBlobException("manifest " + name + ": malformed tree manifest");
        }
        return new TreeManifest(nodes, stream);
    }

    /**
     * Writes a node stream, a node at a time, as CDC-cut chunks through a {@link ChunkWriter}: it
     * holds what the stream's chunking holds, however many nodes pass.
     */
    public static final class Writer {
        private final ChunkedStream.Writer stream;
        private final DataOutputStream out;
        private int count;

        public Writer(Repository repo, ChunkWriter writer) {
            this.stream = new ChunkedStream.Writer(repo, writer);
            this.out = new DataOutputStream(new BufferedOutputStream(stream, 64 * 1024));
        }

        public void write(Node n) throws IOException {
            TreeManifest.write(out, n);
            count++;
        }

        /** The manifest naming the stream; its chunks are readable once the chunk writer is flushed. */
        public TreeManifest finish() throws IOException {
            out.flush();
            return new TreeManifest(count, stream.finish());
        }
    }

    /** Reads the node stream back in order, a node at a time, every chunk verified as it comes. */
    public static final class Reader {
        private final String name;
        private final DataInputStream in;
        private final int count;
        private int read;

        private Reader(Repository repo, String name, TreeManifest manifest) {
            this.name = name;
            this.count = manifest.nodes;
            this.in = new DataInputStream(new BufferedInputStream(
                    new ChunkedStream.Reader(repo, manifest.stream, "manifest " + name), 64 * 1024));
        }

        /** The next node, or null after the last (when the stream must end too). */
        public Node next() throws IOException {
            if (read == count) {
                if (in.read() >= 0) {
                    throw new CorruptBlobException("manifest " + name + ": bytes after the last node");
                }
                return null;
            }
            try {
                return TreeManifest.read(in, name, read++);
            } catch (EOFException e) {
                throw new CorruptBlobException("manifest " + name + ": node stream ends early");
            } catch (IllegalArgumentException | NegativeArraySizeException e) {
                throw new CorruptBlobException("manifest " + name + ": malformed node stream");
            }
        }
    }

    /** A reader of the nodes, in stream order (parents before children). */
    public Reader reader(Repository repo, String name) {
        return new Reader(repo, name, this);
    }

    /** A reader of recovery point {@code name}'s nodes. */
    public static Reader reader(Repository repo, String name, byte[] manifest) throws CorruptBlobException {
        return decode(name, manifest).reader(repo, name);
    }

    /** Every chunk the volume reads: its stream chunks and the file contents its nodes list. */
    public void chunks(Repository repo, String name, Consumer<ChunkId> sink) throws IOException {
        stream.chunks().forEach(sink);
        Reader nodes = reader(repo, name);
        for (Node n = nodes.next(); n != null; n = nodes.next()) {
            n.extents().forEach(e -> sink.accept(e.chunk()));
        }
    }

    /** Writes one node to the stream. */
    static void write(DataOutputStream out, Node n) throws IOException {
        out.writeByte(n.type().ordinal());
        writeString(out, n.path());
        out.writeInt(n.mode());
        out.writeInt(n.uid());
        out.writeInt(n.gid());
        out.writeLong(n.mtimeNanos());
        out.writeLong(n.atimeNanos());
        out.writeLong(n.ctimeNanos());
        out.writeLong(n.inode());
        out.writeLong(n.size());
        writeString(out, n.target() == null ? "" : n.target());
        out.writeShort(n.xattrs().size());
        for (var x : n.xattrs().entrySet()) {
            writeString(out, x.getKey());
            out.writeInt(x.getValue().length);
            out.write(x.getValue());
        }
        out.writeInt(n.extents().size());
        for (Node.Extent e : n.extents()) {
            out.writeLong(e.offset());
            out.write(e.chunk().bytes());
            out.writeInt(e.length());
        }
    }

    /** Node number {@code i} of manifest {@code name}'s stream. */
    static Node read(DataInputStream in, String name, int i) throws IOException {
        int type = in.readUnsignedByte();
        if (type >= TYPES.length) {
            throw new CorruptBlobException("manifest " + name + ": node " + i + " has type " + type);
        }
        String path = readString(in);
        if (!safe(path)) {
            throw new CorruptBlobException("manifest " + name + ": node path " + path + " would leave the volume");
        }
        int mode = in.readInt();
        int uid = in.readInt();
        int gid = in.readInt();
        long mtime = in.readLong();
        long atime = in.readLong();
        long ctime = in.readLong();
        long inode = in.readLong();
        long size = in.readLong();
        String target = readString(in);
        int xattrCount = in.readUnsignedShort();
        SortedMap<String, byte[]> xattrs = xattrCount == 0 ? Collections.emptySortedMap() : new TreeMap<>();
        for (int x = 0; x < xattrCount; x++) {
            String key = readString(in);
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            xattrs.put(key, value);
        }
        int extentCount = in.readInt();
        List<Node.Extent> extents = extentCount == 0 ? List.of() : new ArrayList<>(Math.min(extentCount, 1 << 16));
        byte[] id = new byte[ChunkId.LENGTH];
        for (int e = 0; e < extentCount; e++) {
            long offset = in.readLong();
            in.readFully(id);
            extents.add(new Node.Extent(offset, ChunkId.of(id), in.readInt()));
        }
        return new Node(TYPES[type], path, mode, uid, gid, mtime, atime, ctime, inode, size,
                target.isEmpty() ? null : target, xattrs, extents);
    }

    /** A relative path of plain names: a restore must never be steered outside its target. */
    static boolean safe(String path) {
        if (path.indexOf('\0') >= 0) {
            return false;
        }
        for (int start = 0; start < path.length(); ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int n = end - start;
            if (n == 0 || (n == 1 && path.charAt(start) == '.') || (n == 2 && path.startsWith("..", start))) {
                return false;
            }
            if (end == path.length()) {
                return true;
            }
            start = end + 1;
            if (start == path.length()) {
                return false; // a trailing '/' leaves an empty last part
            }
        }
        return true;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 20)) {
            throw new CorruptBlobException("node stream: a string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
