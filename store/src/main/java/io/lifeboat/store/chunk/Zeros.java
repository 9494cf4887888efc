package io.lifeboat.store.chunk;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** All-zero detection for image chunks, which are not stored and restore as holes. */
public final class Zeros {
    private static final byte[] ZERO = new byte[64 * 1024];
    private static final ByteBuffer ZERO_DIRECT = ByteBuffer.allocateDirect(ZERO.length).asReadOnlyBuffer();

    private Zeros() {
    }

    /** Whether {@code data[offset, offset+length)} is all zero; compares in vectorised 64 KiB runs. */
    public static boolean isZero(byte[] data, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; at += ZERO.length) {
            int n = Math.min(ZERO.length, end - at);
            if (Arrays.mismatch(data, at, at + n, ZERO, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code data[offset, offset+length)} is all zero, for direct and heap buffers alike. */
    public static boolean isZero(ByteBuffer data, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; at += ZERO.length) {
            int n = Math.min(ZERO.length, end - at);
            if (data.slice(at, n).mismatch(ZERO_DIRECT.slice(0, n)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Sets {@code data[offset, offset+length)} to zero. */
    public static void fill(ByteBuffer data, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; at += ZERO.length) {
            int n = Math.min(ZERO.length, end - at);
            data.put(at, ZERO_DIRECT, 0, n);
        }
    }
}
