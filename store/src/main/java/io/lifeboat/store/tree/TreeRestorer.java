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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Restores a tree volume, or one subtree or file of it, under a target directory, in the node
 * stream's order: directories as they come, file contents in parallel (every chunk verified; holes
 * left unwritten), symlinks and hard links, each with its metadata — owners (where the process may
 * chown), permission bits, user extended attributes and times — and a directory's once nothing
 * more is made in it, deepest first, so its times stay as stored. Devices, fifos and sockets are
 * counted, not created. What is written
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

    /**
     * Restores the nodes at and under {@code subtree} ("" for all) to {@code target}; a node
     * {@code a/b/c} restored with subtree {@code a/b} lands at {@code target/b/c}. The node stream
     * is read once, in order (twice for a subtree holding second names of files outside it), and
     * what waits for later is bounded, so memory does not grow with the volume.
     */
    public Result restore(String manifestName, String subtree, Path target) throws IOException {
        byte[] manifest = repo.manifest(manifestName);
        Map<String, Node> outside = subtree.isEmpty() ? Map.of() : linkedFromOutside(manifestName, manifest, subtree);
        TreeManifest.Reader nodes = TreeManifest.reader(repo, manifestName, manifest);
        Node n = nodes.next();
        while (n != null && !Node.within(subtree, n.path())) {
            if (outside.containsKey(n.path())) {
                outside.put(n.path(), n);
            }
            n = nodes.next();
        }
        if (n == null) {
            throw new NoSuchFileException(subtree, null, "not in recovery point " + manifestName);
        }
        Files.createDirectories(target);
        try (RollingSync sync = RollingSync.ofFileSystem(target);
             BoundedTasks tasks = new BoundedTasks(workers, 4 * workers, "restore of " + manifestName)) {
            Owner ours = new Owner((Integer) Files.getAttribute(target, "unix:uid"),
                    (Integer) Files.getAttribute(target, "unix:gid"));
            String base = subtree.contains("/") ? subtree.substring(0, subtree.lastIndexOf('/') + 1) : "";
            Restore r = new Restore(manifestName, target, base, outside, ours, sync, tasks);
            // A subtree is contiguous in tree order: the first node past it ends the restore.
            for (; n != null && Node.within(subtree, n.path()); n = nodes.next()) {
                r.take(n);
            }
            r.finish();
            sync.finish(); // durable before it is reported restored, as an image restore is
            return new Result(r.files, r.dirs, r.links, r.skipped, r.bytes, r.chownFailed.get());
        }
    }

    /**
     * For a subtree restore: the paths outside {@code subtree} that second names inside it link to
     * (their nodes to be filled in: the content is copied, as the first name is not restored).
     */
    private Map<String, Node> linkedFromOutside(String manifestName, byte[] manifest, String subtree)
            throws IOException {
        Map<String, Node> firsts = new HashMap<>();
        TreeManifest.Reader nodes = TreeManifest.reader(repo, manifestName, manifest);
        for (Node n = nodes.next(); n != null; n = nodes.next()) {
            if (Node.within(subtree, n.path())) {
                if (n.type() == Node.Type.HARDLINK && !Node.within(subtree, n.target())) {
                    firsts.put(n.target(), null);
                }
            } else if (Node.treeOrder(n.path(), subtree) > 0) {
                break;
            }
        }
        return firsts;
    }

    /**
     * One restore's state, fed nodes in tree order. Directories are created as they come and files
     * written by the task pool, each given its metadata once written; symlinks are made at once.
     * Second names of files (whose first may still be being written) and the metadata of
     * directories already left (whose times creating entries in them would disturb) wait for a
     * barrier: every task finished, the links made, the directories' metadata applied deepest
     * first. A barrier comes every {@link #WAITING} of them, and at the end.
     */
    private final class Restore {
        private static final int WAITING = 4096;

        final String manifestName;
        final Path target;
        final String base;
        final Map<String, Node> outside;
        final Owner ours;
        final RollingSync sync;
        final BoundedTasks tasks;
        final Deque<Node> open = new ArrayDeque<>();
        final List<Node> left = new ArrayList<>();
        final List<Node> secondNames = new ArrayList<>();
        final AtomicInteger chownFailed = new AtomicInteger();
        Batch batch = new Batch();
        int files;
        int dirs;
        int links;
        int skipped;
        long bytes;

        Restore(String manifestName, Path target, String base, Map<String, Node> outside, Owner ours,
                RollingSync sync, BoundedTasks tasks) {
            this.manifestName = manifestName;
            this.target = target;
            this.base = base;
            this.outside = outside;
            this.ours = ours;
            this.sync = sync;
            this.tasks = tasks;
        }

        void take(Node n) throws IOException {
            while (!open.isEmpty() && !Node.within(open.peekLast().path(), n.path())) {
                left.add(open.removeLast());
            }
            Path at = place(n.path());
            switch (n.type()) {
                case DIRECTORY -> {
                    Files.createDirectories(at);
                    open.addLast(n);
                    dirs++;
                }
                case FILE -> {
                    files++;
                    bytes += n.size();
                    if (!batch.takes(n)) {
                        submit();
                    }
                    batch.add(n, at, n);
                }
                case SYMLINK -> {
                    Files.createSymbolicLink(at, Path.of(n.target()));
                    applyMetadata(at, n, ours, chownFailed);
                    links++;
                }
                case HARDLINK -> {
                    Node first = outside.get(n.target());
                    if (first != null) {
                        submitAlone(n, first, at); // the first name is not restored: copy it
                    } else if (!outside.containsKey(n.target())) {
                        if (!TreeManifest.safe(n.target()) || Node.treeOrder(n.target(), n.path()) >= 0) {
                            throw new CorruptBlobException(n.path() + " in " + manifestName
                                    + ": a second name of " + n.target() + ", which it does not follow");
                        }
                        secondNames.add(n);
                    }
                    links++;
                }
                case OTHER -> skipped++;
            }
            if (left.size() + secondNames.size() >= WAITING) {
                barrier();
            }
        }

        void finish() throws IOException {
            while (!open.isEmpty()) {
                left.add(open.removeLast());
            }
            barrier();
        }

        /** Waits for every write, then makes the waiting links and applies the left directories' metadata. */
        private void barrier() throws IOException {
            submit();
            tasks.finish();
            for (Node n : secondNames) {
                Files.createLink(place(n.path()), place(n.target()));
            }
            secondNames.clear();
            for (Node d : left) {
                applyMetadata(place(d.path()), d, ours, chownFailed);
            }
            left.clear();
        }

        private void submit() throws IOException {
            Batch full = batch;
            batch = new Batch();
            if (full.nodes.isEmpty()) {
                return;
            }
            tasks.submit(() -> {
                for (int i = 0; i < full.nodes.size(); i++) {
                    Node n = full.nodes.get(i);
                    Path at = full.paths.get(i);
                    writeFile(manifestName, full.contents.get(i), at, n, sync);
                    applyMetadata(at, full.contents.get(i), ours, chownFailed);
                }
            });
        }

        /** A copy of an outside file, with its metadata, under the second name {@code at}. */
        private void submitAlone(Node n, Node first, Path at) throws IOException {
            submit();
            batch.add(n, at, first);
            submit();
        }

        private Path place(String path) {
            return TreeRestorer.place(target, base, path);
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
        final List<Node> contents = new ArrayList<>();
        long bytes;

        /** Whether {@code n} joins this batch: the first file, or another of its directory within bounds. */
        boolean takes(Node n) {
            return nodes.isEmpty() || (directory(n).equals(directory(nodes.get(0))) && nodes.size() < MAX_FILES
                    && bytes + n.size() <= MAX_BYTES);
        }

        void add(Node n, Path at, Node content) {
            nodes.add(n);
            paths.add(at);
            contents.add(content);
            bytes += n.size();
        }

        private static String directory(Node n) {
            return n.path().substring(0, Math.max(0, n.path().lastIndexOf('/')));
        }
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
