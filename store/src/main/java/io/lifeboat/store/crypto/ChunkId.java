package io.lifeboat.store.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/** A chunk's identity: HMAC-SHA-256 of its plaintext under the repository's id key (32 bytes). */
public final class ChunkId implements Comparable<ChunkId> {
    public static final int LENGTH = 32;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final byte[] bytes;

    private ChunkId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ChunkId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a chunk id is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new ChunkId(bytes.clone());
    }

    public static ChunkId parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** The id from its four 8-byte words, as {@link #word} gives them. */
    public static ChunkId ofWords(long w0, long w1, long w2, long w3) {
        byte[] b = new byte[LENGTH];
        WORD.set(b, 0, w0);
        WORD.set(b, 8, w1);
        WORD.set(b, 16, w2);
        WORD.set(b, 24, w3);
        return new ChunkId(b);
    }

    /** Bytes {@code 8i} to {@code 8i + 7} as a big-endian long: how a compact table keeps ids. */
    public long word(int i) {
        return (long) WORD.get(bytes, 8 * i);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public int compareTo(ChunkId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
