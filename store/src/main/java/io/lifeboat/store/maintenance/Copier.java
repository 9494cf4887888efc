package io.lifeboat.store.maintenance;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.image.ImageManifest;
import io.lifeboat.store.image.ImageManifest.Window;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.tree.Node;
import io.lifeboat.store.tree.TreeManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a recovery point to another repository (another vault, region or account), re-encrypted
 * under the destination's keys. Chunk ids are keyed per repository, so every source chunk is read
 * and verified to learn its id there; only chunks the destination lacks are written. The manifest
 * is written last, after the chunks' packs and index, so a copy cut short is never listed.
 */
public final class Copier {
    /** What a copy did. */
    public record Result(int chunks, int chunksWritten, long bytesWritten) {
    }

    private final int packBytes;

    public Copier(int packBytes) {
        this.packBytes = packBytes;
    }

    public Result copy(Repository from, String name, Repository to, String newName) throws IOException {
        try (ChunkWriter writer = to.writer(packBytes)) {
            Translation t = new Translation(from, to, writer);
            byte[] manifest = from.manifest(name);
            byte[] copied;
            if (TreeManifest.is(manifest)) {
                TreeManifest.Reader nodes = TreeManifest.reader(from, name, manifest);
                TreeManifest.Writer out = new TreeManifest.Writer(to, writer);
                for (Node n = nodes.next(); n != null; n = nodes.next()) {
                    List<Node.Extent> extents = new ArrayList<>(n.extents().size());
                    for (Node.Extent e : n.extents()) {
                        extents.add(new Node.Extent(e.offset(), t.of(e.chunk()), e.length()));
                    }
                    out.write(n.with(n.xattrs(), extents));
                }
                copied = out.finish().encode();
            } else {
                ImageManifest m = ImageManifest.decode(name, manifest);
                ImageManifest.Reader windows = m.reader(from, name);
                ImageManifest.Writer out = new ImageManifest.Writer(to, writer);
                while (windows.hasNext()) {
                    Window w = windows.next();
                    if (w.isHole()) {
                        out.write(w);
                        continue;
                    }
                    ChunkId[] overrides = new ChunkId[w.overrides().length];
                    for (int j = 0; j < overrides.length; j++) {
                        ChunkId o = w.overrides()[j];
                        overrides[j] = o == null || o.equals(ImageManifest.ZEROS) ? o : t.of(o);
                    }
                    out.write(new Window(t.of(w.base()), w.digests(), overrides));
                }
                copied = out.finish(m.size(), m.windowSize()).encode();
            }
            writer.flush();
            to.putManifest(newName, copied);
            return new Result(t.ids.size(), t.written, writer.bytesStored());
        }
    }

    /** Source chunk id → destination chunk id, storing each chunk the destination lacks once. */
    private static final class Translation {
        final Repository from;
        final Repository to;
        final ChunkWriter writer;
        final Map<ChunkId, ChunkId> ids = new HashMap<>();
        int written;

        Translation(Repository from, Repository to, ChunkWriter writer) {
            this.from = from;
            this.to = to;
            this.writer = writer;
        }

        ChunkId of(ChunkId source) throws IOException {
            ChunkId known = ids.get(source);
            if (known != null) {
                return known;
            }
            byte[] data = from.read(source);
            ChunkId id = to.chunkId(data, 0, data.length);
            if (writer.add(id, data, 0, data.length)) {
                written++;
            }
            ids.put(source, id);
            return id;
        }
    }
}
