package io.lifeboat.bench;

import com.github.luben.zstd.Zstd;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.ChunkSealer;
import io.lifeboat.store.crypto.RepositoryKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one core of this machine can do per 1 MiB chunk, so store throughput can be read against
 * the hardware: SHA-256, HMAC-SHA-256 (chunk ids), AES-256-GCM (sealing), zstd level 3 on text and
 * on random data, and the whole seal of a chunk. Operations per second × 1 MiB = MiB/s per core.
 *
 * <pre>java -cp bench/target/lifeboat-bench.jar org.openjdk.jmh.Main MachineLimits</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MachineLimits {
    static final int CHUNK = 1 << 20;
    byte[] random;
    byte[] text;
    MessageDigest sha;
    Mac hmac;
    Cipher gcm;
    SecretKeySpec aes;
    byte[] nonce = new byte[12];
    ChunkSealer sealer;
    ChunkId textId;

    @Setup
    public void setup() throws Exception {
        random = new byte[CHUNK];
        new Random(1).nextBytes(random);
        StringBuilder sb = new StringBuilder();
        Random r = new Random(2);
        while (sb.length() < CHUNK) {
            sb.append("2026-11-26T05:00:").append(r.nextInt(60)).append(" INFO backup job ").append(r.nextInt(100000))
                    .append(" state=RUNNING bytes=").append(r.nextInt()).append('\n');
        }
        text = sb.substring(0, CHUNK).getBytes(StandardCharsets.US_ASCII);
        sha = MessageDigest.getInstance("SHA-256");
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        aes = new SecretKeySpec(new byte[32], "AES");
        RepositoryKeys keys = RepositoryKeys.generate(new SecureRandom());
        sealer = new ChunkSealer(keys);
        textId = sealer.id(text, 0, CHUNK);
    }

    @Benchmark
    public byte[] sha256() {
        return sha.digest(random);
    }

    @Benchmark
    public byte[] hmacSha256() {
        return hmac.doFinal(random);
    }

    @Benchmark
    public byte[] aesGcm() throws Exception {
        nonce[0]++;
        gcm.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
        return gcm.doFinal(random);
    }

    @Benchmark
    public byte[] zstdText() {
        return Zstd.compress(text, 3);
    }

    @Benchmark
    public byte[] zstdRandom() {
        return Zstd.compress(random, 3);
    }

    @Benchmark
    public byte[] sealTextChunk() {
        return sealer.seal(textId, text, 0, CHUNK);
    }
}
