package io.lifeboat.store.chunk;

import java.nio.ByteBuffer;

/** All-zero detection for image chunks, which are not stored and restore as holes. */
public final class Zeros {
    private static final int RUN = 64 * 1024;
    private static final ByteBuffer ZERO = ByteBuffer.allocateDirect(RUN).asReadOnlyBuffer();

    private Zeros() {
    }

    /** Whether {@code data[offset, offset+length)} is all zero; compares in vectorised 64 KiB runs. */
    public static boolean isZero(ByteBuffer data, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; at += RUN) {
            int n = Math.min(RUN, end - at);
            if (data.slice(at, n).mismatch(ZERO.slice(0, n)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Sets {@code data[offset, offset+length)} to zero. */
    public static void fill(ByteBuffer data, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; at += RUN) {
            int n = Math.min(RUN, end - at);
            data.put(at, ZERO, 0, n);
        }
    }
}
