package io.lifeboat.store.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library calls the store makes where the JDK has no equivalent (holes, read-ahead, extended
 * attribute presence, fresh mappings), bound once through JNA. {@link #AVAILABLE} is false off
 * Linux or without JNA's native part; callers then take their portable path.
 */
final class Libc {
    static final boolean AVAILABLE = Platform.isLinux() && load();

    private Libc() {
    }

    private static boolean load() {
        try {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long llistxattr(String path, byte[] list, long size) throws LastErrorException;

    static native int posix_fadvise(int fd, long offset, long length, int advice);

    static native int syncfs(int fd) throws LastErrorException;

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(long addr, long length) throws LastErrorException;

    static native int madvise(long addr, long length, int advice);
}
