package io.lifeboat.store.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.lifeboat.store.io.DirectIo;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * AES-256-GCM and SHA-256 through the system's OpenSSL libcrypto (3.x), when it loads. Why not only
 * the JDK: its AES-GCM and SHA-256 reach CPU-instruction speed only once the JIT has compiled their
 * callers, which takes thousands of calls; a process that seals a gigabyte in 1 MiB chunks runs
 * most of it interpreted (AES-GCM at ~60 MiB/s), and decryption cannot be sliced to speed that up.
 * OpenSSL runs at full speed from the first byte. The results are the same AES-GCM and SHA-256, so
 * either path reads what the other wrote; callers fall back to the JDK where libcrypto is missing.
 *
 * <p>Data goes through a per-thread direct buffer, encrypted in place: sources in direct buffers
 * (an image backup's windows) are read where they lie, heap arrays are copied in first.
 */
final class NativeCrypto {
    private static final int CTRL_GCM_GET_TAG = 0x10;
    private static final int CTRL_GCM_SET_TAG = 0x11;
    private static final int SCRATCH_MAX = 8 << 20;
    private static final int OK = 0;
    static final int FAILED = -1;
    static final int TOO_LONG = -2;
    static final boolean AVAILABLE = load();
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

    private NativeCrypto() {
    }

    private static boolean load() {
        if (Boolean.getBoolean("lifeboat.crypto.jdk")) {
            return false; // tests of the fallback, and an escape hatch
        }
        // The versioned name first: "crypto" alone has JNA run ldconfig -p to find it (a process per start).
        for (String name : new String[] {"libcrypto.so.3", "crypto"}) {
            try {
                Native.register(NativeCrypto.class, NativeLibrary.getInstance(name));
                return EVP_aes_256_gcm() != null;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // try the next name; none: the JDK path
            }
        }
        return false;
    }

    /**
     * Whether {@code length} bytes go through the native path: anything up to 8 MiB on a platform
     * thread (the store's workers; small files too, or the JDK's crypto runs without its JIT
     * intrinsics in a short run). A virtual thread (a server request) would strand its scratch
     * buffer, so those take the JDK path.
     */
    static boolean fits(int length) {
        return AVAILABLE && length <= SCRATCH_MAX && !Thread.currentThread().isVirtual();
    }

    /**
     * Encrypts {@code prefix} (when not null) and {@code data}'s remaining bytes, followed by the
     * 16-byte tag, into this thread's scratch buffer after {@code room} bytes left for the caller's
     * header. Returns that buffer from 0 to the tag's end: valid until the thread's next call here.
     * A direct {@code data} is read where it lies; a heap one is copied into the scratch first.
     */
    static ByteBuffer seal(byte[] key, byte[] nonce, byte[] aad, Byte prefix, ByteBuffer data, int room) {
        int length = data.remaining();
        int head = prefix == null ? 0 : 1;
        int plain = length + head;
        ByteBuffer b = scratch(room + plain);
        Pointer buf = Native.getDirectBufferPointer(b).share(room);
        Pointer in;
        if (data.isDirect()) {
            in = Native.getDirectBufferPointer(data).share(data.position());
        } else {
            b.put(room + head, data, data.position(), length);
            in = buf.share(head);
        }
        Pointer ctx = EVP_CIPHER_CTX_new();
        if (ctx == null) {
            throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
        }
        try {
            int[] n = new int[1];
            check(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), null, key, nonce), "EncryptInit");
            check(EVP_EncryptUpdate(ctx, null, n, aad, aad.length), "EncryptUpdate(aad)");
            if (prefix != null) {
                b.put(room, prefix);
                check(EVP_EncryptUpdate(ctx, buf, n, buf, 1), "EncryptUpdate(prefix)");
            }
            check(EVP_EncryptUpdate(ctx, buf.share(head), n, in, length), "EncryptUpdate");
            check(EVP_EncryptFinal_ex(ctx, buf.share(plain), n), "EncryptFinal");
            check(EVP_CIPHER_CTX_ctrl(ctx, CTRL_GCM_GET_TAG, Envelope.TAG, buf.share(plain)), "GET_TAG");
        } finally {
            EVP_CIPHER_CTX_free(ctx);
        }
        return b.limit(room + plain + Envelope.TAG);
    }

    /**
     * The plaintext of {@code ciphertext || tag} at {@code blob[offset, offset+length)}, or null if it
     * does not authenticate; its first {@code head.length} bytes go to {@code head}, the rest is returned.
     */
    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] blob, int offset, int length, byte[] head) {
        ByteBuffer b = scratch(length).put(blob, offset, length).flip();
        if (decrypt(key, nonce, aad, b, head.length, s -> s.duplicate().position(head.length)) != OK) {
            return null;
        }
        b.get(0, head, 0, head.length);
        byte[] out = new byte[length - Envelope.TAG - head.length];
        b.get(head.length, out, 0, out.length);
        return out;
    }

    /**
     * Decrypts a sealed chunk's {@code ENCODING (1) || payload || tag}, the remaining bytes of the
     * direct buffer {@code in} (which it decrypts the encoding byte in place in): the payload goes
     * straight into the direct buffer {@code target} gives for that encoding (at its position, which
     * it must leave room at). Returns the encoding, {@link #FAILED} if the blob does not authenticate
     * (the target then holds bytes that must not be used) or {@link #TOO_LONG} if the payload does
     * not fit the target.
     */
    static int openChunk(byte[] key, byte[] nonce, byte[] aad, ByteBuffer in, IntFunction<ByteBuffer> target) {
        int[] encoding = new int[1];
        int result = decrypt(key, nonce, aad, in, 1, s -> target.apply(encoding[0] = s.get(s.position()) & 0xff));
        return result == OK ? encoding[0] : result;
    }

    /**
     * Decrypts {@code ciphertext || tag}, the remaining bytes of the direct buffer {@code in}: the
     * first {@code head} plaintext bytes in place, then the rest into the direct buffer {@code rest}
     * names once it has seen {@code in} (at its position). Returns {@link #OK}, {@link #FAILED} or
     * {@link #TOO_LONG}.
     */
    private static int decrypt(byte[] key, byte[] nonce, byte[] aad, ByteBuffer in, int head,
                               Function<ByteBuffer, ByteBuffer> rest) {
        int remaining = in.remaining() - Envelope.TAG - head;
        Pointer buf = Native.getDirectBufferPointer(in).share(in.position());
        Pointer ctx = EVP_CIPHER_CTX_new();
        if (ctx == null) {
            throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
        }
        try {
            int[] n = new int[1];
            check(EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), null, key, nonce), "DecryptInit");
            check(EVP_DecryptUpdate(ctx, null, n, aad, aad.length), "DecryptUpdate(aad)");
            if (head > 0) {
                check(EVP_DecryptUpdate(ctx, buf, n, buf, head), "DecryptUpdate(head)");
            }
            ByteBuffer into = rest.apply(in);
            if (into.remaining() < remaining) {
                return TOO_LONG;
            }
            check(EVP_DecryptUpdate(ctx, Native.getDirectBufferPointer(into).share(into.position()), n,
                    buf.share(head), remaining), "DecryptUpdate");
            check(EVP_CIPHER_CTX_ctrl(ctx, CTRL_GCM_SET_TAG, Envelope.TAG, buf.share(head + remaining)), "SET_TAG");
            return EVP_DecryptFinal_ex(ctx, buf, n) > 0 ? OK : FAILED;
        } finally {
            EVP_CIPHER_CTX_free(ctx);
        }
    }

    /**
     * SHA-256 of each {@link RepositoryKeys#LEAF}-sized piece of {@code data}'s remaining bytes,
     * written to {@code out} at {@code at}; a direct {@code data} is hashed where it lies.
     */
    static void leafDigests(ByteBuffer data, byte[] out, int at) {
        int leaf = RepositoryKeys.LEAF;
        int length = data.remaining();
        int leaves = (length + leaf - 1) / leaf;
        ByteBuffer b = scratch(length + leaves * 32);
        Pointer buf = Native.getDirectBufferPointer(b);
        Pointer in;
        int digests;
        if (data.isDirect()) {
            in = Native.getDirectBufferPointer(data).share(data.position());
            digests = 0;
        } else {
            b.put(0, data, data.position(), length);
            in = buf;
            digests = length;
        }
        for (int i = 0; i < leaves; i++) {
            int from = i * leaf;
            if (RepositoryKeys.zeroLeaf(data, data.position() + from, length - from, out, at + i * 32)) {
                continue;
            }
            if (SHA256(in.share(from), Math.min(leaf, length - from), buf.share(digests + i * 32L)) == null) {
                throw new IllegalStateException("OpenSSL SHA256 failed");
            }
            b.get(digests + i * 32, out, at + i * 32, 32);
        }
    }

    private static ByteBuffer scratch(int length) {
        ByteBuffer b = DirectIo.atLeast(SCRATCH.get(), length + Envelope.TAG);
        SCRATCH.set(b);
        return b.clear();
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalStateException("OpenSSL EVP_" + call + " failed");
        }
    }

    private static native Pointer SHA256(Pointer data, long length, Pointer digest);

    private static native Pointer EVP_aes_256_gcm();

    private static native Pointer EVP_CIPHER_CTX_new();

    private static native void EVP_CIPHER_CTX_free(Pointer ctx);

    private static native int EVP_CIPHER_CTX_ctrl(Pointer ctx, int type, int arg, Pointer ptr);

    private static native int EVP_EncryptInit_ex(Pointer ctx, Pointer cipher, Pointer engine, byte[] key, byte[] iv);

    private static native int EVP_EncryptUpdate(Pointer ctx, Pointer out, int[] outLength, Pointer in, int inLength);

    private static native int EVP_EncryptUpdate(Pointer ctx, Pointer out, int[] outLength, byte[] in, int inLength);

    private static native int EVP_EncryptFinal_ex(Pointer ctx, Pointer out, int[] outLength);

    private static native int EVP_DecryptInit_ex(Pointer ctx, Pointer cipher, Pointer engine, byte[] key, byte[] iv);

    private static native int EVP_DecryptUpdate(Pointer ctx, Pointer out, int[] outLength, Pointer in, int inLength);

    private static native int EVP_DecryptUpdate(Pointer ctx, Pointer out, int[] outLength, byte[] in, int inLength);

    private static native int EVP_DecryptFinal_ex(Pointer ctx, Pointer out, int[] outLength);
}
