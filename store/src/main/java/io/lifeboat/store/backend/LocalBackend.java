package io.lifeboat.store.backend;

import io.lifeboat.store.io.DataRegions;
import io.lifeboat.store.io.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A repository in a local directory. {@link #put} and {@link #upload} write a temporary file at
 * the root, force it to disk, rename it into place atomically and force the directory, so a crash
 * leaves either the whole object or none (plus, at worst, a stale temporary that {@link #list} hides
 * and {@link #deleteAbandonedUploads} removes).
 */
public final class LocalBackend implements Backend {
    static final String TEMP_MARK = ".tmp-";
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

    @Override
    public void put(String name, ByteBuffer data) throws IOException {
        path(name); // a bad name fails before anything is written
        try (Upload upload = upload()) {
            upload.write(data);
            upload.publish(name);
        }
    }

    /**
     * An object written into a temporary file at the root (its name is not known yet), forced to
     * disk and renamed into place when published. Page-aligned pieces in direct buffers (a pack's
     * segments) are written with O_DIRECT where the file system allows it: a backup forces its packs
     * to disk anyway and nobody reads them soon, and on the benchmark VM a buffered write and fsync
     * of a gigabyte took twice as long as a direct one (docs/benchmarks.md). The last piece is padded
     * to a whole block from its buffer's spare room and the file truncated to the object's length;
     * a piece that cannot be written so sends the rest of the object through the page cache.
     */
    @Override
    public Upload upload() {
        return new Upload() {
            private final Path temp = root.resolve("upload" + TEMP_MARK + UUID.randomUUID());
            private FileChannel ch;
            private boolean directChannel;
            private boolean padded;
            private long length;
            private boolean published;

            @Override
            public void write(ByteBuffer piece) throws IOException {
                if (ch == null) {
                    open(DirectIo.aligned(piece));
                }
                int n = piece.remaining();
                ByteBuffer b = piece.duplicate();
                if (directChannel && (padded || !DirectIo.aligned(b))) {
                    ByteBuffer whole = padded ? null : paddedToBlock(b);
                    if (whole == null) {
                        reopenBuffered(); // after a padded piece, or one O_DIRECT cannot take
                    } else {
                        b = whole;
                        padded = true;
                    }
                }
                for (long at = length; b.hasRemaining(); ) {
                    at += ch.write(b, at);
                }
                length += n;
            }

            private void open(boolean tryDirect) throws IOException {
                Files.createDirectories(root);
                if (tryDirect && direct) {
                    ch = DirectIo.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    if (ch != null) {
                        directChannel = true;
                        return;
                    }
                    direct = false; // the file system refuses O_DIRECT (tmpfs did until Linux 6.6)
                    Files.deleteIfExists(temp);
                }
                ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }

            /** {@code b} with its last block filled out from its spare room, or null when O_DIRECT cannot take it so. */
            private static ByteBuffer paddedToBlock(ByteBuffer b) {
                long whole = DirectIo.roundUp(b.remaining());
                if (b.capacity() - b.position() < whole) {
                    return null;
                }
                ByteBuffer padded = b.duplicate().limit((int) (b.position() + whole));
                return DirectIo.aligned(padded) ? padded : null;
            }

            private void reopenBuffered() throws IOException {
                ch.truncate(length);
                ch.close();
                ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                directChannel = false;
                padded = false;
            }

            @Override
            public void publish(String name) throws IOException {
                Path target = path(name);
                if (ch == null) {
                    open(false);
                }
                if (padded) {
                    ch.truncate(length);
                }
                ch.force(true);
                ch.close();
                Files.createDirectories(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                published = true;
                forceDirectory(target.getParent());
            }

            @Override
            public void close() {
                try {
                    if (ch != null) {
                        ch.close();
                    }
                    if (!published) {
                        Files.deleteIfExists(temp);
                    }
                } catch (IOException e) {
                    // a stale temporary is hidden from list() and harmless
                }
            }
        };
    }

    /** The temporaries at the root whose last write is older than {@code untouchedSince}. */
    @Override
    public int deleteAbandonedUploads(Instant untouchedSince) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "*" + TEMP_MARK + "*")) {
            for (Path temp : entries) {
                try {
                    if (Files.getLastModifiedTime(temp).toInstant().isBefore(untouchedSince) && Files.deleteIfExists(temp)) {
                        deleted++;
                    }
                } catch (NoSuchFileException published) {
                    // renamed into place (or deleted) since the listing
                }
            }
        }
        return deleted;
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
