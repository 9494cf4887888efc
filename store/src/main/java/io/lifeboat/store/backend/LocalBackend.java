package io.lifeboat.store.backend;

import io.lifeboat.store.io.DataRegions;
import io.lifeboat.store.io.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A repository in a local directory. {@link #put} writes a temporary file beside the target,
 * forces it to disk, renames it into place atomically and forces the directory, so a crash leaves
 * either the whole object or none (plus, at worst, a stale temporary that {@link #list} hides).
 */
public final class LocalBackend implements Backend {
    static final String TEMP_MARK = ".tmp-";
    /** Objects this large (packs) are written with O_DIRECT where allowed: see {@link #writeDirect}. */
    private static final int DIRECT_MIN = 1 << 20;
    private final Path root;
    /** Cleared when this file system turns out to refuse O_DIRECT writes. */
    private volatile boolean direct = true;

    public LocalBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path path(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("..") || name.contains(TEMP_MARK)) {
            throw new IllegalArgumentException("invalid object name: " + name);
        }
        return root.resolve(name);
    }

    @Override
    public void put(String name, byte[] bytes) throws IOException {
        put(name, ByteBuffer.wrap(bytes));
    }

    /** Writes the bytes into a temporary, syncs it, and renames it into place. */
    @Override
    public void put(String name, ByteBuffer data) throws IOException {
        Path target = path(name);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + TEMP_MARK + UUID.randomUUID());
        try {
            if (!writeDirect(temp, data)) {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer b = data.duplicate();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes a pack-sized, page-aligned direct buffer with O_DIRECT ({@link DirectIo}): a backup
     * forces its packs to disk anyway and nobody reads them soon, and on the benchmark VM a buffered
     * write and fsync of a gigabyte took twice as long as a direct one (docs/benchmarks.md). The last
     * block is padded from the buffer's spare capacity and the file truncated to the object's
     * length. Returns false, having written nothing, where the buffer or the file system does not allow it.
     */
    private boolean writeDirect(Path temp, ByteBuffer data) throws IOException {
        int length = data.remaining();
        long padded = DirectIo.roundUp(length);
        if (!direct || length < DIRECT_MIN || data.capacity() - data.position() < padded) {
            return false;
        }
        ByteBuffer b = data.duplicate().limit(data.position() + (int) padded);
        if (!DirectIo.aligned(b)) {
            return false;
        }
        FileChannel ch = DirectIo.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (ch == null) {
            direct = false; // the file system refuses O_DIRECT (tmpfs did until Linux 6.6)
            Files.deleteIfExists(temp);
            return false;
        }
        try (ch) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.truncate(length);
            ch.force(true);
        }
        return true;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories; the rename is still atomic there
        }
    }

    @Override
    public byte[] get(String name) throws IOException {
        return Files.readAllBytes(path(name));
    }

    /**
     * Reads a range. A platform thread keeps the last object it read open: a restore reads a pack's
     * chunks one after another, and on this kind of VM each open and close costs tens of
     * microseconds of system time. Objects are immutable, so a kept channel never reads stale bytes;
     * a deleted object stays readable through it, as it would for a reader that opened it first.
     */
    @Override
    public byte[] get(String name, long offset, int length) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            try (FileChannel ch = FileChannel.open(path(name), StandardOpenOption.READ)) {
                return read(ch, offset, length);
            }
        }
        return read(channel(name), offset, length);
    }

    @Override
    public void prefetch(String name) {
        DataRegions.prefetch(path(name));
    }

    @Override
    public void read(String name, long offset, ByteBuffer into) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            Backend.super.read(name, offset, into);
            return;
        }
        FileChannel ch = channel(name);
        long at = offset;
        for (int n = 0; into.hasRemaining() && n >= 0; at += n) {
            n = ch.read(into, at);
        }
    }

    /** This thread's channel on {@code name}: restores read many chunks from one pack in a row. */
    private FileChannel channel(String name) throws IOException {
        Open last = LAST_OPEN.get();
        if (last == null || !last.name.equals(name) || last.backend != this) {
            if (last != null) {
                last.channel.close();
                LAST_OPEN.remove();
            }
            last = new Open(this, name, FileChannel.open(path(name), StandardOpenOption.READ));
            LAST_OPEN.set(last);
        }
        return last.channel;
    }

    private record Open(LocalBackend backend, String name, FileChannel channel) {
    }

    private static final ThreadLocal<Open> LAST_OPEN = new ThreadLocal<>();

    private static byte[] read(FileChannel ch, long offset, int length) throws IOException {
        long available = Math.max(0, ch.size() - offset);
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(length, available));
        while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
            // read until full or end of file
        }
        return b.position() == b.capacity() ? b.array() : Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public long size(String name) throws IOException {
        return Files.size(path(name));
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = prefix.isEmpty() ? root : path(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        // Other writers rename their temporary files (and GC deletes objects) while we walk: an entry
        // that vanished between the directory read and its stat is simply not listed.
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (attrs.isRegularFile() && !name.contains(TEMP_MARK)) {
                    names.add(name);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        names.sort(null);
        return names;
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(path(name));
    }

    @Override
    public String toString() {
        return "local:" + root;
    }
}
