package io.lifeboat.store.image;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.crypto.RepositoryKeys;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.ChunkedStream;
import io.lifeboat.store.repository.Repository;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The content of one image volume: its size and window layout, and the stream of its windows (a
 * hole, or a base chunk with the window's leaf digests and overrides of changed leaves), stored as
 * chunks so that no volume's window list has to fit in memory. Encoding and rationale in
 * docs/store-format.md, "Image manifest".
 */
public record ImageManifest(long size, int windowSize, int count, ChunkedStream.Stored stream) {
    static final byte[] MAGIC = {'L', 'B', 'I', 'M', 'G', '0', '0', '3'};
    public static final int LEAF = RepositoryKeys.LEAF;
    /** Bytes of a leaf digest kept in the manifest. */
    public static final int DIGEST = 16;
    /** An override naming a leaf of zeros, which is not stored. */
    public static final ChunkId ZEROS = ChunkId.of(new byte[ChunkId.LENGTH]);

    private static final byte HOLE = 0;
    private static final byte DATA = 1;

    /**
     * One window. A hole has no base. Otherwise {@code digests} holds {@link #DIGEST} bytes per leaf
     * and {@code overrides} one slot per leaf: null where the base's leaf stands, else the override.
     */
    public record Window(ChunkId base, byte[] digests, ChunkId[] overrides) {
        public static final Window HOLE = new Window(null, null, null);

        public boolean isHole() {
            return base == null;
        }

        /** Every chunk this window reads: the base and the stored overrides. */
        public void chunks(Consumer<ChunkId> sink) {
            if (base == null) {
                return;
            }
            sink.accept(base);
            for (ChunkId o : overrides) {
                if (o != null && !o.equals(ZEROS)) {
                    sink.accept(o);
                }
            }
        }
    }

    public long offset(int window) {
        return (long) window * windowSize;
    }

    public int length(int window) {
        return (int) Math.min(windowSize, size - offset(window));
    }

    public static int windows(long size, int windowSize) {
        return (int) ((size + windowSize - 1) / windowSize);
    }

    public static boolean is(byte[] manifest) {
        return manifest.length >= MAGIC.length && Arrays.equals(manifest, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + 4 + 4 + 4 + stream.encodedLength());
        b.put(MAGIC).putLong(size).putInt(windowSize).putInt(LEAF).putInt(count);
        return stream.putTo(b).array();
    }

    public static ImageManifest decode(String name, byte[] bytes) throws CorruptBlobException {
        if (!is(bytes) || bytes.length < MAGIC.length + 32) {
            throw new CorruptBlobException("manifest " + name + ": not an image manifest");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        long size = b.getLong();
        int windowSize = b.getInt();
        int leaf = b.getInt();
        int count = b.getInt();
        ChunkedStream.Stored stream = ChunkedStream.Stored.takeFrom(b);
        if (size < 0 || windowSize <= 0 || leaf != LEAF || windowSize % LEAF != 0 || count != windows(size, windowSize)
                || stream == null) {
            throw new CorruptBlobException("manifest " + name + ": malformed image manifest (size " + size + ")");
        }
        return new ImageManifest(size, windowSize, count, stream);
    }

    /** Writes windows, in order, into a chunked stream. */
    public static final class Writer {
        private final DataOutputStream out;
        private final ChunkedStream.Writer stream;

        public Writer(Repository repo, ChunkWriter writer) {
            this.stream = new ChunkedStream.Writer(repo, writer);
            this.out = new DataOutputStream(new java.io.BufferedOutputStream(stream, 64 * 1024));
        }

        public void write(Window w) throws IOException {
            if (w.isHole()) {
                out.write(HOLE);
                return;
            }
            out.write(DATA);
            out.write(w.base().bytes());
            out.write(w.digests());
            byte[] bitmap = new byte[(w.overrides().length + 7) / 8];
            for (int j = 0; j < w.overrides().length; j++) {
                if (w.overrides()[j] != null) {
                    bitmap[j / 8] |= (byte) (0x80 >>> (j % 8));
                }
            }
            out.write(bitmap);
            for (ChunkId o : w.overrides()) {
                if (o != null) {
                    out.write(o.bytes());
                }
            }
        }

        /** The manifest of the windows written; store it after the chunk writer is flushed. */
        public ImageManifest finish(long size, int windowSize) throws IOException {
            out.flush();
            return new ImageManifest(size, windowSize, windows(size, windowSize), stream.finish());
        }
    }

    /** Reads a manifest's windows back in order, a stream chunk at a time. */
    public Reader reader(Repository repo, String name) {
        return new Reader(repo, name);
    }

    /** Sequential access to the windows; {@link #next} returns them in order. */
    public final class Reader {
        private final DataInputStream in;
        private final String name;
        private int index;

        Reader(Repository repo, String name) {
            this.name = name;
            this.in = new DataInputStream(new java.io.BufferedInputStream(
                    new ChunkedStream.Reader(repo, stream, "manifest " + name), 64 * 1024));
        }

        public boolean hasNext() {
            return index < count;
        }

        public Window next() throws IOException {
            if (index >= count) {
                throw new CorruptBlobException("manifest " + name + ": read past its " + count + " windows");
            }
            int leaves = RepositoryKeys.leaves(length(index));
            index++;
            try {
                byte kind = in.readByte();
                if (kind == HOLE) {
                    return Window.HOLE;
                }
                if (kind != DATA) {
                    throw new CorruptBlobException("manifest " + name + ": window " + (index - 1) + " has kind " + kind);
                }
                byte[] id = new byte[ChunkId.LENGTH];
                in.readFully(id);
                ChunkId base = ChunkId.of(id);
                byte[] digests = new byte[leaves * DIGEST];
                in.readFully(digests);
                byte[] bitmap = new byte[(leaves + 7) / 8];
                in.readFully(bitmap);
                ChunkId[] overrides = new ChunkId[leaves];
                for (int j = 0; j < leaves; j++) {
                    if ((bitmap[j / 8] & (0x80 >>> (j % 8))) != 0) {
                        in.readFully(id);
                        overrides[j] = ChunkId.of(id);
                    }
                }
                return new Window(base, digests, overrides);
            } catch (EOFException e) {
                throw new CorruptBlobException("manifest " + name + ": window stream ends early");
            }
        }
    }

    /** Every chunk the volume reads (its stream's chunks, then its windows'), with repeats. */
    public void chunks(Repository repo, String name, Consumer<ChunkId> sink) throws IOException {
        stream.chunks().forEach(sink);
        Reader r = reader(repo, name);
        while (r.hasNext()) {
            r.next().chunks(sink);
        }
    }
}
