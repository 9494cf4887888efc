package io.lifeboat.store.image;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.crypto.RepositoryKeys;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The content of one image volume: its size and, per aligned window, a hole or a base chunk with
 * the window's leaf digests and overrides of changed leaves. Encoding and rationale in
 * docs/store-format.md, "Image manifest".
 */
public record ImageManifest(long size, int windowSize, Window[] windows) {
    static final byte[] MAGIC = {'L', 'B', 'I', 'M', 'G', '0', '0', '2'};
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

        public int overridden() {
            int n = 0;
            for (ChunkId o : overrides) {
                n += o == null ? 0 : 1;
            }
            return n;
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

    public int count() {
        return windows.length;
    }

    public long offset(int window) {
        return (long) window * windowSize;
    }

    public int length(int window) {
        return (int) Math.min(windowSize, size - offset(window));
    }

    /** Every chunk the volume reads, with repeats. */
    public void chunks(Consumer<ChunkId> sink) {
        for (Window w : windows) {
            w.chunks(sink);
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + windows.length * 48);
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 8 + 4 + 4 + 4);
        head.put(MAGIC).putLong(size).putInt(windowSize).putInt(LEAF).putInt(windows.length);
        out.writeBytes(head.array());
        for (Window w : windows) {
            if (w.isHole()) {
                out.write(HOLE);
                continue;
            }
            out.write(DATA);
            out.writeBytes(w.base().bytes());
            out.writeBytes(w.digests());
            byte[] bitmap = new byte[(w.overrides().length + 7) / 8];
            for (int j = 0; j < w.overrides().length; j++) {
                if (w.overrides()[j] != null) {
                    bitmap[j / 8] |= (byte) (0x80 >>> (j % 8));
                }
            }
            out.writeBytes(bitmap);
            for (ChunkId o : w.overrides()) {
                if (o != null) {
                    out.writeBytes(o.bytes());
                }
            }
        }
        return out.toByteArray();
    }

    public static ImageManifest decode(String name, byte[] bytes) throws CorruptBlobException {
        if (bytes.length < MAGIC.length + 20 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptBlobException("manifest " + name + ": not an image manifest");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        long size = b.getLong();
        int windowSize = b.getInt();
        int leaf = b.getInt();
        int count = b.getInt();
        if (size < 0 || windowSize <= 0 || leaf != LEAF || windowSize % LEAF != 0
                || count != (size + windowSize - 1) / windowSize) {
            throw new CorruptBlobException("manifest " + name + ": window layout does not match size " + size);
        }
        Window[] windows = new Window[count];
        byte[] id = new byte[ChunkId.LENGTH];
        try {
            for (int i = 0; i < count; i++) {
                byte kind = b.get();
                if (kind == HOLE) {
                    windows[i] = Window.HOLE;
                    continue;
                }
                if (kind != DATA) {
                    throw new CorruptBlobException("manifest " + name + ": window " + i + " has kind " + kind);
                }
                int leaves = RepositoryKeys.leaves((int) Math.min(windowSize, size - (long) i * windowSize));
                b.get(id);
                ChunkId base = ChunkId.of(id);
                byte[] digests = new byte[leaves * DIGEST];
                b.get(digests);
                byte[] bitmap = new byte[(leaves + 7) / 8];
                b.get(bitmap);
                ChunkId[] overrides = new ChunkId[leaves];
                for (int j = 0; j < leaves; j++) {
                    if ((bitmap[j / 8] & (0x80 >>> (j % 8))) != 0) {
                        b.get(id);
                        overrides[j] = ChunkId.of(id);
                    }
                }
                windows[i] = new Window(base, digests, overrides);
            }
        } catch (BufferUnderflowException e) {
            throw new CorruptBlobException("manifest " + name + ": truncated");
        }
        if (b.hasRemaining()) {
            throw new CorruptBlobException("manifest " + name + ": " + b.remaining() + " bytes after the last window");
        }
        return new ImageManifest(size, windowSize, windows);
    }
}
