package io.lifeboat.store.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.image.ImageManifest.Window;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.ChunkedStream;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Window lists far larger than one stream chunk are written and read back a chunk at a time. */
class ImageManifestTest {
    @TempDir
    Path dir;

    @Test
    void aChunkedStreamReadsBackWhatWasWrittenInAnyPieces() throws Exception {
        Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random());
        byte[] data = new byte[21 << 20];
        new Random(3).nextBytes(data);
        ChunkedStream.Stored stored;
        try (ChunkWriter writer = repo.writer(1 << 20)) {
            ChunkedStream.Writer out = new ChunkedStream.Writer(repo, writer);
            Random pieces = new Random(4);
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + pieces.nextInt(3 << 20));
                out.write(data, at, n);
                at += n;
            }
            stored = out.finish();
            ChunkedStream.Writer whole = new ChunkedStream.Writer(repo, writer);
            whole.write(data, 0, data.length);
            // the same cuts however the bytes arrive and however far the buffer has grown: dedup holds
            assertThat(whole.finish().chunks()).isEqualTo(stored.chunks());
            writer.flush();
        }
        assertThat(stored.length()).isEqualTo(data.length);
        assertThat(stored.chunks().size()).isGreaterThan(5);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        new ChunkedStream.Reader(repo, stored, "test").transferTo(back);
        assertThat(back.toByteArray()).isEqualTo(data);
        ChunkedStream.Stored shorter = new ChunkedStream.Stored(data.length + 1L, stored.chunks());
        assertThatThrownBy(() -> new ChunkedStream.Reader(repo, shorter, "test").transferTo(new ByteArrayOutputStream()))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining("bytes where");
    }

    @Test
    void fortyThousandWindowsRoundTripThroughTheStream() throws Exception {
        Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random());
        int windowSize = 1 << 20;
        long size = 40_000L * windowSize - 12_345; // a short last window
        Random r = new Random(5);
        List<Window> windows = new ArrayList<>();
        ImageManifest m;
        try (ChunkWriter writer = repo.writer(1 << 20)) {
            ImageManifest.Writer out = new ImageManifest.Writer(repo, writer);
            for (int i = 0; i < 40_000; i++) {
                int length = (int) Math.min(windowSize, size - (long) i * windowSize);
                int leaves = (length + ImageManifest.LEAF - 1) / ImageManifest.LEAF;
                Window w;
                if (r.nextInt(5) == 0) {
                    w = Window.HOLE;
                } else {
                    byte[] digests = new byte[leaves * ImageManifest.DIGEST];
                    r.nextBytes(digests);
                    ChunkId[] overrides = new ChunkId[leaves];
                    for (int j = 0; j < leaves; j++) {
                        overrides[j] = r.nextInt(8) == 0 ? id(r) : r.nextInt(50) == 0 ? ImageManifest.ZEROS : null;
                    }
                    w = new Window(id(r), digests, overrides);
                }
                windows.add(w);
                out.write(w);
            }
            m = out.finish(size, windowSize);
            writer.flush();
        }
        repo.putManifest("big", m.encode());
        ImageManifest back = ImageManifest.decode("big", repo.manifest("big"));
        assertThat(back.count()).isEqualTo(40_000);
        assertThat(back.stream().chunks().size()).isGreaterThan(2);
        ImageManifest.Reader reader = back.reader(repo, "big");
        for (Window expected : windows) {
            Window got = reader.next();
            assertThat(got.base()).isEqualTo(expected.base());
            assertThat(got.digests()).isEqualTo(expected.digests());
            assertThat(got.overrides()).isEqualTo(expected.overrides());
        }
        assertThat(reader.hasNext()).isFalse();
    }

    static ChunkId id(Random r) {
        byte[] b = new byte[ChunkId.LENGTH];
        r.nextBytes(b);
        return ChunkId.of(b);
    }
}
