package io.lifeboat.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * zstd level 1 on real data, by hash table size: the store's chunk compression
 * ({@code ChunkSealer.ZSTD_HASH_LOG}). Compresses every 16th non-zero 1 MiB window of {@code file}
 * (the benchmark image, or a tree's files concatenated) per operation, one core; the sealed size is
 * printed at the end of each trial. 0 is the level's own choice (13 for 1 MiB inputs).
 *
 * <pre>java -cp bench/target/lifeboat-bench.jar org.openjdk.jmh.Main ZstdHashLog -p file=/tmp/dataset/vol-a.img</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ZstdHashLog {
    static final int WINDOW = 1 << 20;

    @Param({"0", "11", "12", "13"})
    int hashLog;

    @Param("")
    String file;

    final List<ByteBuffer> windows = new ArrayList<>();
    ByteBuffer out;
    ZstdCompressCtx ctx;
    long stored;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(file))) {
            int seen = 0;
            for (long at = 0; at < ch.size(); at += WINDOW) {
                ByteBuffer b = ByteBuffer.allocateDirect(WINDOW);
                ch.read(b, at);
                b.flip();
                if (b.mismatch(ByteBuffer.allocate(b.limit())) >= 0 && seen++ % 16 == 0) {
                    windows.add(b);
                }
            }
        }
        out = ByteBuffer.allocateDirect((int) Zstd.compressBound(WINDOW));
        ctx = new ZstdCompressCtx().setLevel(1).setChecksum(false);
        if (hashLog > 0) {
            ctx.setHashLog(hashLog);
        }
    }

    /** One pass over the sampled windows; a window that does not shrink is stored as it is. */
    @Benchmark
    public long compressWindows() {
        long size = 0;
        for (ByteBuffer w : windows) {
            int n = ctx.compressDirectByteBuffer(out, 0, out.capacity(), w, 0, w.limit());
            size += Math.min(n, w.limit());
        }
        stored = size;
        return size;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%nhash log %d: %d MiB of windows stored as %.1f MiB%n", hashLog, windows.size(),
                stored / 1048576.0);
        ctx.close();
    }
}
