package io.lifeboat.store.tree;

import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.io.BoundedTasks;
import io.lifeboat.store.io.DirectIo;
import io.lifeboat.store.io.RollingSync;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Restores a tree volume, or one subtree or file of it, under a target directory: directories
 * first, then file contents in parallel (every chunk verified; holes left unwritten), symlinks and
 * hard links, then metadata — owners (where the process may chown), permission bits, user
 * extended attributes and times, directories last and deepest first so writing into them does
 * not disturb their times. Devices, fifos and sockets are counted, not created. What is written
 * is flushed as it goes and the file system written back at the end ({@code syncfs}): a restore is
 * durable when it returns.
 */
public final class TreeRestorer {
    /** What a restore did. */
    public record Result(int files, int directories, int links, int skipped, long bytes, int ownersNotRestored) {
    }

    private final Repository repo;
    private final int workers;

    public TreeRestorer(Repository repo) {
        this.repo = repo;
        this.workers = Runtime.getRuntime().availableProcessors();
    }

    /** The nodes of a tree manifest, in stream order (parents before children). */
    public static List<Node> nodes(Repository repo, String manifestName) throws IOException {
        return TreeManifest.decode(manifestName, repo.manifest(manifestName)).nodes(repo, manifestName);
    }

    /**
     * Restores the nodes at and under {@code subtree} ("" for all) to {@code target}; a node
     * {@code a/b/c} restored with subtree {@code a/b} lands at {@code target/b/c}.
     */
    public Result restore(String manifestName, String subtree, Path target) throws IOException {
        List<Node> all = nodes(repo, manifestName);
        Map<String, Node> byPath = new HashMap<>();
        all.forEach(n -> byPath.put(n.path(), n));
        String base = subtree.contains("/") ? subtree.substring(0, subtree.lastIndexOf('/') + 1) : "";
        List<Node> chosen = all.stream().filter(n -> Node.within(subtree, n.path())).toList();
        if (chosen.isEmpty()) {
            throw new NoSuchFileException(subtree, null, "not in recovery point " + manifestName);
        }
        Files.createDirectories(target);
        try (RollingSync sync = RollingSync.ofFileSystem(target)) {
            Owner ours = new Owner((Integer) Files.getAttribute(target, "unix:uid"),
                    (Integer) Files.getAttribute(target, "unix:gid"));
            int files = 0;
            int dirs = 0;
            int links = 0;
            int skipped = 0;
            AtomicInteger chownFailed = new AtomicInteger();
            long[] bytes = {0};
            try (BoundedTasks tasks = new BoundedTasks(workers, 4 * workers, "restore of " + manifestName)) {
                Batch batch = new Batch();
                for (Node n : chosen) {
                    Path at = place(target, base, n.path());
                    switch (n.type()) {
                        case DIRECTORY -> {
                            Files.createDirectories(at);
                            dirs++;
                        }
                        case FILE -> {
                            files++;
                            bytes[0] += n.size();
                            if (!batch.takes(n)) {
                                submit(tasks, manifestName, batch, sync);
                                batch = new Batch();
                            }
                            batch.add(n, at);
                        }
                        default -> { }
                    }
                }
                submit(tasks, manifestName, batch, sync);
                tasks.finish();
            }
            for (Node n : chosen) {
                Path at = place(target, base, n.path());
                if (n.type() == Node.Type.SYMLINK) {
                    Files.createSymbolicLink(at, Path.of(n.target()));
                    links++;
                } else if (n.type() == Node.Type.HARDLINK) {
                    Node first = byPath.get(n.target());
                    if (first != null && Node.within(subtree, first.path())) {
                        Files.createLink(at, place(target, base, first.path()));
                    } else if (first != null) {
                        writeFile(manifestName, first, at, n, sync); // the first name is not restored: copy it
                    }
                    links++;
                } else if (n.type() == Node.Type.OTHER) {
                    skipped++;
                }
            }
            for (int i = chosen.size() - 1; i >= 0; i--) {
                Node n = chosen.get(i);
                if (n.type() != Node.Type.OTHER && n.type() != Node.Type.HARDLINK) {
                    applyMetadata(place(target, base, n.path()), n, ours, chownFailed);
                }
            }
            sync.finish(); // durable before it is reported restored, as an image restore is
            return new Result(files, dirs, links, skipped, bytes[0], chownFailed.get());
        }
    }

    /**
     * Files of one directory, written by one worker: two workers creating files in the same directory
     * spin on its inode lock (`perf`: `rwsem_spin_on_owner` 7% of a tree restore). Bounded, so a
     * directory of many files still spreads over the workers.
     */
    private static final class Batch {
        static final int MAX_FILES = 64;
        static final long MAX_BYTES = 16L << 20;
        final List<Node> nodes = new ArrayList<>();
        final List<Path> paths = new ArrayList<>();
        long bytes;

        /** Whether {@code n} joins this batch: the first file, or another of its directory within bounds. */
        boolean takes(Node n) {
            return nodes.isEmpty() || (directory(n).equals(directory(nodes.get(0))) && nodes.size() < MAX_FILES
                    && bytes + n.size() <= MAX_BYTES);
        }

        void add(Node n, Path at) {
            nodes.add(n);
            paths.add(at);
            bytes += n.size();
        }

        private static String directory(Node n) {
            return n.path().substring(0, Math.max(0, n.path().lastIndexOf('/')));
        }
    }

    private void submit(BoundedTasks tasks, String manifestName, Batch batch, RollingSync sync) throws IOException {
        if (batch.nodes.isEmpty()) {
            return;
        }
        tasks.submit(() -> {
            for (int i = 0; i < batch.nodes.size(); i++) {
                writeFile(manifestName, batch.nodes.get(i), batch.paths.get(i), batch.nodes.get(i), sync);
            }
        });
    }

    private static Path place(Path target, String base, String path) {
        String relative = path.substring(Math.min(base.length(), path.length()));
        return relative.isEmpty() ? target : target.resolve(relative);
    }

    /** Writes {@code content}'s data to {@code at}, sized as {@code content}, holes unwritten; counted by {@code sync}. */
    private void writeFile(String manifestName, Node content, Path at, Node forErrors, RollingSync sync)
            throws IOException {
        long end = 0;
        try (FileChannel out = FileChannel.open(at, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Node.Extent e : content.extents()) {
                ByteBuffer b = chunkBuffer(e.length());
                try {
                    repo.readInto(e.chunk(), b);
                } catch (CorruptBlobException x) {
                    throw new CorruptBlobException(forErrors.path() + " in " + manifestName + ": " + x.getMessage(), x);
                }
                while (b.hasRemaining()) {
                    out.write(b, e.offset() + b.position());
                }
                end = Math.max(end, e.offset() + e.length());
                sync.wrote(e.length());
            }
        }
        if (end < content.size()) {
            try (RandomAccessFile file = new RandomAccessFile(at.toFile(), "rw")) {
                file.setLength(content.size()); // a trailing hole: extend without writing
            }
        }
    }

    /**
     * Room for one chunk of {@code length} bytes: a worker's reused direct buffer, which the chunk is
     * decrypted into and written from; a virtual thread (a server request) gets a heap one.
     */
    private static ByteBuffer chunkBuffer(int length) {
        if (Thread.currentThread().isVirtual()) {
            return ByteBuffer.allocate(length);
        }
        ByteBuffer b = DirectIo.atLeast(CHUNK.get(), length);
        CHUNK.set(b);
        return b.clear().limit(length);
    }

    private static final ThreadLocal<ByteBuffer> CHUNK = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

    /** Owners as restored entries get them by default: the restoring process's, read from the target. */
    private record Owner(int uid, int gid) {
    }

    private static void applyMetadata(Path at, Node n, Owner ours, AtomicInteger chownFailed) throws IOException {
        LinkOption[] noFollow = {LinkOption.NOFOLLOW_LINKS};
        try {
            if (n.uid() != ours.uid()) {
                Files.setAttribute(at, "unix:uid", n.uid(), noFollow);
            }
            if (n.gid() != ours.gid()) {
                Files.setAttribute(at, "unix:gid", n.gid(), noFollow);
            }
        } catch (FileSystemException | UnsupportedOperationException | IllegalArgumentException e) {
            chownFailed.incrementAndGet();
        }
        if (n.type() == Node.Type.FILE || n.type() == Node.Type.DIRECTORY) {
            Files.setAttribute(at, "unix:mode", n.mode() & 07777); // with setuid, setgid and sticky
            UserDefinedFileAttributeView view = Files.getFileAttributeView(at, UserDefinedFileAttributeView.class);
            for (var x : n.xattrs().entrySet()) {
                if (view != null && x.getKey().startsWith("user.")) {
                    view.write(x.getKey().substring(5), ByteBuffer.wrap(x.getValue()));
                }
            }
        }
        Files.getFileAttributeView(at, BasicFileAttributeView.class, noFollow)
                .setTimes(time(n.mtimeNanos()), time(n.atimeNanos()), null);
    }

    private static FileTime time(long nanos) {
        return FileTime.from(nanos, TimeUnit.NANOSECONDS);
    }
}
