package io.lifeboat.store.image;

import io.lifeboat.store.chunk.Zeros;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.image.ImageManifest.Window;
import io.lifeboat.store.io.BoundedTasks;
import io.lifeboat.store.io.RollingSync;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;

/**
 * Restores an image volume to a file or block device: a file is sized first (holes stay unwritten,
 * so the output is sparse; on a device they are written as zeros), then each stored window is
 * assembled from its base and overrides, every chunk verified against its id, and written in place
 * by one worker per core, with a bounded number in flight. A chunk that fails verification stops
 * the restore with the chunk named; no unverified byte is written.
 */
public final class ImageRestorer {
    private final Repository repo;
    private final int workers;

    public ImageRestorer(Repository repo) {
        this(repo, Runtime.getRuntime().availableProcessors());
    }

    public ImageRestorer(Repository repo, int workers) {
        this.repo = repo;
        this.workers = Math.max(1, workers);
    }

    public ImageManifest manifest(String name) throws IOException {
        return ImageManifest.decode(name, repo.manifest(name));
    }

    public void restore(String manifestName, Path target) throws IOException {
        ImageManifest m = manifest(manifestName);
        // A new or regular file is truncated and left sparse; a block device keeps whatever it held,
        // so there holes must be written as zeros.
        boolean sparse = !Files.exists(target) || Files.isRegularFile(target);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (sparse && m.size() > 0) {
                out.write(ByteBuffer.allocate(1), m.size() - 1); // full size first; the file stays sparse
            }
            BlockingQueue<ByteBuffer> buffers = ImageArchiver.windowBuffers(workers);
            try (BoundedTasks tasks = new BoundedTasks(workers, 2 * workers, "restore of " + manifestName);
                 RollingSync sync = RollingSync.ofFile(out, target)) {
                Lookahead windows = new Lookahead(m.reader(repo, manifestName));
                for (int i = 0; i < m.count(); i++) {
                    Window w = windows.next();
                    if (w.isHole() && sparse) {
                        continue;
                    }
                    long at = m.offset(i);
                    int length = m.length(i);
                    tasks.submit(() -> {
                        ByteBuffer data = ImageArchiver.take(buffers, "restore of " + manifestName).clear().limit(length);
                        try {
                            if (w.isHole()) {
                                Zeros.fill(data, 0, length);
                            } else {
                                assemble(manifestName, w, data);
                            }
                            if (!sparse || !Zeros.isZero(data, 0, length)) {
                                synchronized (out) { // one writer at a time: the kernel would spin on the inode lock
                                    while (data.hasRemaining()) {
                                        out.write(data, at + data.position());
                                    }
                                }
                                sync.wrote(length);
                            }
                        } finally {
                            buffers.add(data);
                        }
                    });
                }
                tasks.finish();
                sync.finish();
            }
        }
    }

    /**
     * The manifest's windows, read {@link #AHEAD} ahead of the restore so that the packs they need
     * are prefetched while earlier windows are decrypted.
     */
    private final class Lookahead {
        private static final int AHEAD = 128;
        private final ImageManifest.Reader windows;
        private final ArrayDeque<Window> ahead = new ArrayDeque<>();
        private String lastPrefetched;

        Lookahead(ImageManifest.Reader windows) {
            this.windows = windows;
        }

        Window next() throws IOException {
            while (windows.hasNext() && ahead.size() <= AHEAD) {
                Window w = windows.next();
                ahead.add(w);
                String pack = w.isHole() ? null : repo.packOf(w.base());
                if (pack != null && !pack.equals(lastPrefetched)) {
                    repo.prefetchPack(pack);
                    lastPrefetched = pack;
                }
            }
            return ahead.removeFirst();
        }
    }

    /**
     * A window's bytes into {@code data} (a direct buffer, position 0, limit the window's length):
     * its base with every override laid over it, each chunk verified.
     */
    private void assemble(String manifestName, Window w, ByteBuffer data) throws IOException {
        int length = data.limit();
        read(manifestName, w.base(), data);
        ChunkId[] overrides = w.overrides();
        for (int j = 0; j < overrides.length; j++) {
            if (overrides[j] == null) {
                continue;
            }
            int from = j * ImageManifest.LEAF;
            int leafLength = Math.min(ImageManifest.LEAF, length - from);
            if (overrides[j].equals(ImageManifest.ZEROS)) {
                Zeros.fill(data, from, leafLength);
            } else {
                read(manifestName, overrides[j], data.slice(from, leafLength));
            }
        }
    }

    private void read(String manifestName, ChunkId id, ByteBuffer into) throws IOException {
        try {
            repo.readInto(id, into);
        } catch (CorruptBlobException e) {
            throw new CorruptBlobException(manifestName + ": " + e.getMessage(), e);
        }
    }
}
