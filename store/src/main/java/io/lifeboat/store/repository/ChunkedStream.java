package io.lifeboat.store.repository;

import io.lifeboat.store.chunk.FastCdc;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte stream stored as ordinary chunks, cut by FastCDC as file contents are: how manifests keep
 * lists too long for memory (an image's windows, a tree's nodes). Writing holds at most two
 * maximum chunks, and no more than the stream needs; reading holds one chunk. Unchanged stretches
 * deduplicate like any data.
 */
public final class ChunkedStream {
    private static final FastCdc CDC = FastCdc.standard();

    private ChunkedStream() {
    }

    /**
     * Where a stream went: its length and its chunks, in order. In a manifest it is encoded as
     * {@code length (8) || chunk count (4) || chunk-id*}, at the manifest's end.
     */
    public record Stored(long length, List<ChunkId> chunks) {
        public int encodedLength() {
            return 8 + 4 + chunks.size() * ChunkId.LENGTH;
        }

        public ByteBuffer putTo(ByteBuffer b) {
            b.putLong(length).putInt(chunks.size());
            chunks.forEach(id -> b.put(id.bytes()));
            return b;
        }

        /** What {@link #putTo} wrote, which must fill the rest of {@code b}; null when it does not. */
        public static Stored takeFrom(ByteBuffer b) {
            if (b.remaining() < 12) {
                return null;
            }
            long length = b.getLong();
            int count = b.getInt();
            if (length < 0 || count < 0 || b.remaining() != (long) count * ChunkId.LENGTH) {
                return null;
            }
            List<ChunkId> ids = new ArrayList<>(count);
            byte[] id = new byte[ChunkId.LENGTH];
            for (int i = 0; i < count; i++) {
                b.get(id);
                ids.add(ChunkId.of(id));
            }
            return new Stored(length, ids);
        }
    }

    /** Cuts what is written into chunks and stores the new ones through a {@link ChunkWriter}. */
    public static final class Writer extends OutputStream {
        private final Repository repo;
        private final ChunkWriter writer;
        /**
         * Grows to two maximum chunks only as the stream does: most streams (a 2 GiB image's windows
         * take 0.6 MB) are far shorter, and a new array is zeroed in full, memory a short-lived
         * process pays for on first touch.
         */
        private byte[] buf = new byte[64 << 10];
        private int filled;
        private long length;
        private final List<ChunkId> chunks = new ArrayList<>();

        public Writer(Repository repo, ChunkWriter writer) {
            this.repo = repo;
            this.writer = writer;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buf.length - filled);
                System.arraycopy(b, off, buf, filled, n);
                filled += n;
                length += n;
                off += n;
                len -= n;
                if (filled == buf.length) {
                    if (buf.length < 2 * CDC.maxSize()) {
                        buf = Arrays.copyOf(buf, Math.min(2 * buf.length, 2 * CDC.maxSize()));
                    } else {
                        cut(false);
                    }
                }
            }
        }

        /** Stores chunks while a whole maximum chunk is buffered (or everything, at the end). */
        private void cut(boolean end) throws IOException {
            int start = 0;
            while (filled - start > 0 && (end || filled - start >= CDC.maxSize())) {
                int n = CDC.next(buf, start, filled - start);
                ChunkId id = repo.chunkId(buf, start, n);
                writer.add(id, buf, start, n);
                chunks.add(id);
                start += n;
            }
            System.arraycopy(buf, start, buf, 0, filled - start);
            filled -= start;
        }

        /** Stores the rest; the stream's chunks are readable once the writer is flushed. */
        public Stored finish() throws IOException {
            cut(true);
            return new Stored(length, List.copyOf(chunks));
        }
    }

    /** Reads a stored stream back, a chunk at a time, each verified; fails if it is not as long as recorded. */
    public static final class Reader extends InputStream {
        private final Repository repo;
        private final Stored stream;
        private final String what;
        private int next;
        private byte[] current = new byte[0];
        private int pos;
        private long read;

        public Reader(Repository repo, Stored stream, String what) {
            this.repo = repo;
            this.stream = stream;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == current.length) {
                if (next == stream.chunks().size()) {
                    if (read != stream.length()) {
                        throw new CorruptBlobException(what + ": stream has " + read + " bytes where "
                                + stream.length() + " belong");
                    }
                    return -1;
                }
                current = repo.read(stream.chunks().get(next++));
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            read += n;
            return n;
        }
    }
}
