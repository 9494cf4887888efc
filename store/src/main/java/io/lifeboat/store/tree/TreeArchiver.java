package io.lifeboat.store.tree;

import io.lifeboat.store.chunk.FastCdc;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.BoundedTasks;
import io.lifeboat.store.io.DataRegions;
import io.lifeboat.store.io.FileStat;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backs up a directory as a tree volume. The tree is walked with names sorted and symlinks not
 * followed, subtrees stat-ed in parallel, and each entry's metadata recorded; file contents are
 * cut with FastCDC and sealed by worker threads, a batch of files at a time, reading only the file
 * system's data regions. Given the volume's previous manifest, a file whose size, modification and
 * change times and inode are unchanged reuses its previous chunk list without being read, as restic
 * does. Hard-linked files are stored once; later names become links to the first.
 */
public final class TreeArchiver {
    /** What a backup did. */
    public record Result(String manifest, int files, int directories, int unchangedFiles, long bytesRead,
                         long bytesNew, int newChunks) {
    }

    private static final FastCdc CDC = FastCdc.standard();
    /** A worker's chunking array holds two maximum chunks at most: a region cut as it streams through. */
    private static final int BUFFER = 2 * 4 * 1024 * 1024;
    private static final int READ = 1 << 20;
    private static final long SPARSE_CHECK = 1 << 20;
    private static final int BATCH_FILES = 64;
    private static final long BATCH_BYTES = 16 << 20;
    /**
     * A worker's chunking array, grown to the largest region it has met (up to {@link #BUFFER}):
     * most files are far smaller, and a new array is zeroed in full, memory a short-lived process
     * pays for on first touch (docs/benchmarks.md).
     */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[256 << 10]);
    /**
     * What a worker reads into, {@link #READ} bytes at a time, before the bytes go to its chunking
     * array: reading into the array made the JDK allocate (and zero) a temporary direct buffer
     * whenever the size asked changed.
     */
    private static final ThreadLocal<ByteBuffer> READS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ));

    private final Repository repo;
    private final int packBytes;
    private final int workers;

    public TreeArchiver(Repository repo, int packBytes) {
        this.repo = repo;
        this.packBytes = packBytes;
        this.workers = Runtime.getRuntime().availableProcessors();
    }

    public Result backup(Path root, String manifestName, String parentName) throws IOException {
        return backup(root, manifestName, parentName, Progress.NONE);
    }

    public Result backup(Path root, String manifestName, String parentName, Progress progress) throws IOException {
        ExecutorService scanners = Executors.newFixedThreadPool(workers,
                Thread.ofPlatform().name("scan-", 0).daemon().factory());
        try (ChunkWriter writer = repo.writer(packBytes);
             BoundedTasks tasks = new BoundedTasks(workers, 8 * workers, "backup of " + root)) {
            Map<String, Node> before = new HashMap<>();
            TreeManifest parent = null;
            List<Node> parentNodes = List.of();
            if (parentName != null) {
                parent = TreeManifest.decode(parentName, repo.manifest(parentName));
                parentNodes = parent.nodes(repo, parentName);
                for (Node n : parentNodes) {
                    if (n.type() == Node.Type.FILE) {
                        before.put(n.path(), n);
                    }
                }
            }
            Walk walk = new Walk(writer, tasks, scanners, before, progress);
            walk.walk(root);
            tasks.finish();
            List<Node> nodes = new ArrayList<>(walk.nodes.size());
            for (Node n : walk.nodes) {
                nodes.add(n.type() == Node.Type.FILE ? walk.withExtents(n) : n);
            }
            // Nothing changed: the node stream is the parent's, whose chunks are stored already.
            TreeManifest manifest = parent != null && nodes.equals(parentNodes)
                    ? new TreeManifest(nodes.size(), parent.stream()) : TreeManifest.storeNodes(repo, writer, nodes);
            writer.flush();
            repo.putManifest(manifestName, manifest.encode());
            return new Result(manifestName, walk.files, walk.directories, walk.unchanged.get(), walk.read.get(),
                    writer.bytesStored(), walk.fresh.get());
        } finally {
            scanners.shutdownNow();
        }
    }

    /**
     * An entry as a scan found it: its node (a file's extents to come), and for a file whose
     * parent-manifest twin matches, that twin's extents ({@code previous}, else null).
     */
    private record Scanned(Path file, Node node, FileStat stat, List<Node.Extent> previous) {
    }

    /**
     * One walk's state. Entries are stat-ed and their nodes made by {@link #scan}; this thread
     * records them in tree order (names sorted, parents first), resolves hard links and sends
     * changed files to the task pool, which chunks them into {@link #extents}. Scanner threads take
     * whole subtrees, split at the first level with two or more subdirectories, so each hands
     * over one list and a thread switch per entry (dear on a VM) is never paid.
     */
    private final class Walk {
        private static final int SPLIT_DEPTH = 3;

        final ChunkWriter writer;
        final BoundedTasks tasks;
        final ExecutorService scanners;
        final Map<String, Node> before;
        final List<Node> nodes = new ArrayList<>();
        final Map<String, List<Node.Extent>> extents = Collections.synchronizedMap(new HashMap<>());
        final Map<String, String> firstNameOfInode = new HashMap<>();
        final AtomicLong read = new AtomicLong();
        final AtomicInteger fresh = new AtomicInteger();
        final AtomicInteger unchanged = new AtomicInteger();
        final AtomicLong done = new AtomicLong();
        final AtomicLong total = new AtomicLong();
        final Progress progress;
        int files;
        int directories;
        List<Scanned> batch = new ArrayList<>();
        long batchBytes;

        Walk(ChunkWriter writer, BoundedTasks tasks, ExecutorService scanners, Map<String, Node> before,
             Progress progress) {
            this.writer = writer;
            this.tasks = tasks;
            this.scanners = scanners;
            this.before = before;
            this.progress = progress;
        }

        void finished(long bytes) {
            long d = done.addAndGet(bytes);
            progress.update(d, total.get(), d, writer.bytesStored());
        }

        Node withExtents(Node n) {
            return new Node(n.type(), n.path(), n.mode(), n.uid(), n.gid(), n.mtimeNanos(), n.atimeNanos(),
                    n.ctimeNanos(), n.inode(), n.size(), n.target(), n.xattrs(), extents.get(n.path()));
        }

        /** Records the whole tree and hands every changed file to the task pool. */
        void walk(Path root) throws IOException {
            Scanned top = scan(root, "");
            record(top);
            if (top.node.type() == Node.Type.DIRECTORY) {
                walkDirectory(top, 0);
            }
            submitBatch();
        }

        /**
         * Records a directory's subtree. Where it has two or more subdirectories (or deep enough),
         * each subdirectory's subtree is scanned whole on a scanner thread; otherwise this thread
         * goes down to its one subdirectory to look for a wider level.
         */
        private void walkDirectory(Scanned dir, int depth) throws IOException {
            List<Scanned> children = new ArrayList<>();
            for (Path child : sortedChildren(dir.file)) {
                children.add(scan(child, childPath(dir, child)));
            }
            long subdirectories = children.stream().filter(c -> c.node.type() == Node.Type.DIRECTORY).count();
            boolean split = subdirectories >= 2 || depth >= SPLIT_DEPTH;
            List<Future<List<Scanned>>> subtrees = new ArrayList<>();
            if (split) {
                for (Scanned child : children) {
                    if (child.node.type() == Node.Type.DIRECTORY) {
                        subtrees.add(scanners.submit(() -> subtree(child, new ArrayList<>())));
                    }
                }
            }
            int next = 0;
            for (Scanned child : children) {
                record(child);
                if (child.node.type() != Node.Type.DIRECTORY) {
                    continue;
                }
                if (split) {
                    for (Scanned s : BoundedTasks.result(subtrees.get(next++), "scanning " + child.file)) {
                        record(s);
                    }
                } else {
                    walkDirectory(child, depth + 1);
                }
            }
        }

        /** Everything below {@code dir}, in tree order, scanned on this (scanner) thread. */
        private List<Scanned> subtree(Scanned dir, List<Scanned> into) throws IOException {
            for (Path child : sortedChildren(dir.file)) {
                Scanned s = scan(child, childPath(dir, child));
                into.add(s);
                if (s.node.type() == Node.Type.DIRECTORY) {
                    subtree(s, into);
                }
            }
            return into;
        }

        private static String childPath(Scanned dir, Path child) {
            String name = child.getFileName().toString();
            return dir.node.path().isEmpty() ? name : dir.node.path() + "/" + name;
        }

        private static List<Path> sortedChildren(Path dir) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            }
            children.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
            return children;
        }

        /** An entry's node, from its {@code lstat}, link target, extended attributes and the parent manifest. */
        private Scanned scan(Path file, String path) throws IOException {
            FileStat st = FileStat.lstat(file);
            Node.Type type = st.isDirectory() ? Node.Type.DIRECTORY : st.isSymbolicLink() ? Node.Type.SYMLINK
                    : st.isRegularFile() ? Node.Type.FILE : Node.Type.OTHER;
            String target = type == Node.Type.SYMLINK ? Files.readSymbolicLink(file).toString() : null;
            // A file whose size, times and inode match the parent's is not read again. Its extended
            // attributes are taken over too: changing them changes ctime.
            Node was = type == Node.Type.FILE ? before.get(path) : null;
            boolean same = was != null && was.size() == st.size() && was.mtimeNanos() == st.mtimeNanos()
                    && was.ctimeNanos() == st.ctimeNanos() && was.inode() == st.inode()
                    && was.extents().stream().allMatch(x -> repo.contains(x.chunk()));
            SortedMap<String, byte[]> attributes = same ? was.xattrs()
                    : type == Node.Type.FILE || type == Node.Type.DIRECTORY ? xattrs(file) : new TreeMap<>();
            Node node = new Node(type, path, st.mode(), st.uid(), st.gid(), st.mtimeNanos(), st.atimeNanos(),
                    st.ctimeNanos(), st.inode(), type == Node.Type.FILE ? st.size() : 0, target, attributes, List.of());
            return new Scanned(file, node, st, same ? was.extents() : null);
        }

        /** Records a scanned entry in tree order; a second name of a file becomes a link to the first. */
        private void record(Scanned s) throws IOException {
            Node node = s.node;
            FileStat st = s.stat;
            if (node.type() == Node.Type.DIRECTORY) {
                directories++;
            } else if (node.type() == Node.Type.FILE) {
                files++;
                if (st.links() > 1) {
                    String first = firstNameOfInode.putIfAbsent(st.device() + ":" + st.inode(), node.path());
                    if (first != null) {
                        nodes.add(new Node(Node.Type.HARDLINK, node.path(), node.mode(), node.uid(), node.gid(),
                                node.mtimeNanos(), node.atimeNanos(), node.ctimeNanos(), node.inode(), 0, first,
                                new TreeMap<>(), List.of()));
                        return;
                    }
                }
            }
            nodes.add(node);
            if (node.type() != Node.Type.FILE) {
                return;
            }
            String path = node.path();
            long size = node.size();
            total.addAndGet(size);
            if (s.previous != null) {
                extents.put(path, s.previous);
                unchanged.incrementAndGet();
                finished(size);
            } else {
                batch.add(s);
                batchBytes += size;
                if (batch.size() >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
                    submitBatch();
                }
            }
        }

        /**
         * Sends the changed files gathered so far to the task pool as one task: a task per small
         * file cost a thread wake-up each (4.5% of a tree backup, on this VM).
         */
        void submitBatch() throws IOException {
            if (batch.isEmpty()) {
                return;
            }
            List<Scanned> files = batch;
            batch = new ArrayList<>();
            batchBytes = 0;
            tasks.submit(() -> {
                for (Scanned f : files) {
                    extents.put(f.node.path(), chunkFile(f.file, f.node.size()));
                    finished(f.node.size());
                }
            });
        }

        /** Cuts a file's data regions into chunks and stores the new ones. */
        List<Node.Extent> chunkFile(Path file, long size) throws IOException {
            List<Node.Extent> out = new ArrayList<>();
            ByteBuffer io = READS.get();
            // Holes matter for big files; a small one is read whole rather than paying four syscalls to ask.
            DataRegions data = size < SPARSE_CHECK ? DataRegions.whole(size) : DataRegions.of(file, size);
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                for (long[] region : data.regions()) {
                    long pos = region[0];
                    long end = region[1];
                    byte[] buf = buffer(end - pos);
                    int start = 0;
                    int filled = 0;
                    boolean eof = false;
                    while (true) {
                        if (!eof && filled - start < CDC.maxSize()) {
                            System.arraycopy(buf, start, buf, 0, filled - start);
                            filled -= start;
                            start = 0;
                            int want = (int) Math.min(Math.min(buf.length - filled, READ), end - (pos + filled));
                            int got = want <= 0 ? -1 : in.read(io.clear().limit(want), pos + filled);
                            if (got <= 0) {
                                eof = true;
                            } else {
                                io.get(0, buf, filled, got);
                                filled += got;
                                read.addAndGet(got);
                                continue;
                            }
                        }
                        if (start >= filled) {
                            break;
                        }
                        int n = CDC.next(buf, start, filled - start);
                        ChunkId id = repo.chunkId(buf, start, n);
                        if (writer.add(id, buf, start, n)) {
                            fresh.incrementAndGet();
                        }
                        out.add(new Node.Extent(pos, id, n));
                        pos += n;
                        start += n;
                    }
                }
            }
            return out;
        }
    }

    /**
     * This worker's chunking array, large enough for a region of {@code length} bytes or for two
     * maximum chunks of a longer one; it grows at least twofold, so a worker reallocates it only a
     * few times.
     */
    private static byte[] buffer(long length) {
        byte[] buf = BUFFERS.get();
        int need = (int) Math.min(BUFFER, length);
        if (buf.length < need) {
            buf = new byte[(int) Math.min(BUFFER, Math.max(need, 2L * buf.length))];
            BUFFERS.set(buf);
        }
        return buf;
    }

    /** User extended attributes: read for files and directories only (the JDK opens the file, which blocks on a fifo). */
    private static SortedMap<String, byte[]> xattrs(Path file) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        if (!DataRegions.mayHaveXattrs(file)) {
            return out;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return out;
        }
        try {
            for (String name : view.list()) {
                ByteBuffer value = ByteBuffer.allocate(view.size(name));
                view.read(name, value);
                out.put("user." + name, value.array());
            }
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            // a file system without user attributes: nothing to keep
        }
        return out;
    }
}
