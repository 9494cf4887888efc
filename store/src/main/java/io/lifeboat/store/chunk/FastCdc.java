package io.lifeboat.store.chunk;

/**
 * Content-defined chunking for directory volumes: FastCDC with normalized chunking (Xia et al.,
 * 2016/2020). A 64-bit gear hash rolls over the bytes; a cut falls where its top bits are zero,
 * judged with a stricter mask before the average size and a looser one after, which pulls sizes
 * toward the average; no cut before {@code min}, always one at {@code max}. Because the hash shifts
 * left, its top bits depend on about the last 64 bytes only, so an insertion moves only nearby cuts.
 *
 * <p>The gear table is part of the store format (different tables cut differently, so chunks would
 * not dedupe): 256 values of SplitMix64 from seed {@link #GEAR_SEED}. See docs/store-format.md.
 */
public final class FastCdc {
    static final long GEAR_SEED = 0x4c696665626f6174L; // "Lifeboat" in ASCII, as a 64-bit seed
    private static final long[] GEAR = gear();

    private final int min;
    private final int avg;
    private final int max;
    private final long strictMask;
    private final long looseMask;

    public FastCdc(int min, int avg, int max) {
        if (Integer.bitCount(avg) != 1 || min < 64 || min >= avg || avg >= max) {
            throw new IllegalArgumentException("need 64 <= min < avg < max with avg a power of two, got "
                    + min + "/" + avg + "/" + max);
        }
        this.min = min;
        this.avg = avg;
        this.max = max;
        int bits = Integer.numberOfTrailingZeros(avg);
        this.strictMask = topBits(bits + 2);
        this.looseMask = topBits(bits - 2);
    }

    /** The parameters Lifeboat uses for file contents: 256 KiB / 1 MiB / 4 MiB. */
    public static FastCdc standard() {
        return new FastCdc(256 * 1024, 1024 * 1024, 4 * 1024 * 1024);
    }

    public int maxSize() {
        return max;
    }

    private static long topBits(int n) {
        return n <= 0 ? 0 : -1L << (64 - n);
    }

    /**
     * The length of the next chunk starting at {@code offset}. {@code available} bytes follow; unless
     * the stream ends there, the caller must offer at least {@link #maxSize()} bytes.
     */
    public int next(byte[] data, int offset, int available) {
        if (available <= min) {
            return available;
        }
        int end = Math.min(available, max);
        int normal = Math.min(end, avg);
        long fp = 0;
        int i = min;
        for (; i < normal; i++) {
            fp = (fp << 1) + GEAR[data[offset + i] & 0xff];
            if ((fp & strictMask) == 0) {
                return i + 1;
            }
        }
        for (; i < end; i++) {
            fp = (fp << 1) + GEAR[data[offset + i] & 0xff];
            if ((fp & looseMask) == 0) {
                return i + 1;
            }
        }
        return end;
    }

    private static long[] gear() {
        long[] table = new long[256];
        long state = GEAR_SEED;
        for (int i = 0; i < table.length; i++) {
            state += 0x9e3779b97f4a7c15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }

    static long gearValue(int i) {
        return GEAR[i];
    }
}
