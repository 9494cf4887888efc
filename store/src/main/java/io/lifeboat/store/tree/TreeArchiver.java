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
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
            Parent parent = new Parent(parentName == null ? null
                    : TreeManifest.reader(repo, parentName, repo.manifest(parentName)));
            Walk walk = new Walk(writer, tasks, scanners, parent, new TreeManifest.Writer(repo, writer), progress);
            walk.walk(root);
            tasks.finish();
            TreeManifest manifest = walk.out.finish();
            writer.flush();
            repo.putManifest(manifestName, manifest.encode());
            return new Result(manifestName, walk.files, walk.directories, walk.unchanged.get(), walk.read.get(),
                    writer.bytesStored(), walk.fresh.get());
        } finally {
            scanners.shutdownNow();
        }
    }

    /**
     * The parent manifest's nodes, read along with the walk: both are in tree order, so finding an
     * entry's previous node is a merge, and memory does not grow with the tree.
     */
    private static final class Parent {
        private final TreeManifest.Reader nodes;
        private Node next;

        Parent(TreeManifest.Reader nodes) throws IOException {
            this.nodes = nodes;
            this.next = nodes == null ? null : nodes.next();
        }

        /** The parent's file at {@code path}, or null; asked in tree order. */
        Node file(String path) throws IOException {
            while (next != null && Node.treeOrder(next.path(), path) < 0) {
                next = nodes.next();
            }
            return next != null && next.type() == Node.Type.FILE && next.path().equals(path) ? next : null;
        }
    }

    /** An entry as a scan found it: its path, its node (a file's attributes and extents to come) and its stat. */
    private record Scanned(Path file, Node node, FileStat stat) {
    }

    /** A changed file on its way to a worker, and where its finished node goes. */
    private record Changed(Scanned entry, CompletableFuture<Node> node) {
    }

    /**
     * One walk's state. Entries are stat-ed and their nodes made by {@link #scan}; this thread
     * takes them in tree order (names sorted, parents first), matches files against the parent,
     * resolves hard links and sends changed files to the task pool, whose workers finish their
     * nodes; finished nodes go to the node stream in order. Scanner threads take whole subtrees,
     * split at the first level with two or more subdirectories, and hand entries over in blocks,
     * so a thread switch per entry (dear on a VM) is never paid. What waits anywhere is bounded:
     * a subtree's blocks ({@link #AHEAD}), nodes not yet written ({@link #PENDING}), the task pool.
     */
    private final class Walk {
        private static final int SPLIT_DEPTH = 3;
        private static final int BLOCK = 256;
        private static final int AHEAD = 32;
        private static final int PENDING = 8192;
        private static final List<Scanned> END = List.of();

        final ChunkWriter writer;
        final BoundedTasks tasks;
        final ExecutorService scanners;
        final Parent parent;
        final TreeManifest.Writer out;
        final Deque<CompletableFuture<Node>> pending = new ArrayDeque<>();
        final Map<String, String> firstNameOfInode = new HashMap<>();
        final AtomicLong read = new AtomicLong();
        final AtomicInteger fresh = new AtomicInteger();
        final AtomicInteger unchanged = new AtomicInteger();
        final AtomicLong done = new AtomicLong();
        final AtomicLong total = new AtomicLong();
        final Progress progress;
        int files;
        int directories;
        List<Changed> batch = new ArrayList<>();
        long batchBytes;

        Walk(ChunkWriter writer, BoundedTasks tasks, ExecutorService scanners, Parent parent,
             TreeManifest.Writer out, Progress progress) {
            this.writer = writer;
            this.tasks = tasks;
            this.scanners = scanners;
            this.parent = parent;
            this.out = out;
            this.progress = progress;
        }

        void finished(long bytes) {
            long d = done.addAndGet(bytes);
            progress.update(d, total.get(), d, writer.bytesStored());
        }

        /** Records the whole tree, every node written to the stream when this returns. */
        void walk(Path root) throws IOException {
            Scanned top = scan(root, "");
            record(top);
            if (top.node.type() == Node.Type.DIRECTORY) {
                walkDirectory(top, 0);
            }
            submitBatch();
            while (!pending.isEmpty()) {
                writeHead();
            }
        }

        /**
         * Records a directory's subtree. Where it has two or more subdirectories (or deep enough),
         * each subdirectory's subtree is scanned whole on a scanner thread; otherwise this thread
         * goes down to its one subdirectory to look for a wider level. The scanners take subtrees
         * in the order this thread reads them, so the one it waits for is always being scanned.
         */
        private void walkDirectory(Scanned dir, int depth) throws IOException {
            List<Scanned> children = new ArrayList<>();
            for (Path child : sortedChildren(dir.file)) {
                children.add(scan(child, childPath(dir, child)));
            }
            long subdirectories = children.stream().filter(c -> c.node.type() == Node.Type.DIRECTORY).count();
            boolean split = subdirectories >= 2 || depth >= SPLIT_DEPTH;
            List<Subtree> subtrees = new ArrayList<>();
            if (split) {
                for (Scanned child : children) {
                    if (child.node.type() == Node.Type.DIRECTORY) {
                        Subtree s = new Subtree();
                        scanners.execute(() -> s.scan(child));
                        subtrees.add(s);
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
                    subtrees.get(next++).recordAll(child);
                } else {
                    walkDirectory(child, depth + 1);
                }
            }
        }

        /** A subdirectory's subtree, scanned in tree order on a scanner thread and handed over in blocks. */
        private final class Subtree {
            final BlockingQueue<List<Scanned>> blocks = new ArrayBlockingQueue<>(AHEAD);
            volatile Throwable failure;
            List<Scanned> block = new ArrayList<>(BLOCK);

            /** On a scanner thread: everything below {@code dir}, then {@link #END}. */
            void scan(Scanned dir) {
                try {
                    try {
                        below(dir);
                        hand(block);
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e;
                    }
                    blocks.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the walk has given up
                }
            }

            private void below(Scanned dir) throws IOException, InterruptedException {
                for (Path child : sortedChildren(dir.file)) {
                    Scanned s = Walk.this.scan(child, childPath(dir, child));
                    block.add(s);
                    if (block.size() == BLOCK) {
                        hand(block);
                        block = new ArrayList<>(BLOCK);
                    }
                    if (s.node.type() == Node.Type.DIRECTORY) {
                        below(s);
                    }
                }
            }

            private void hand(List<Scanned> full) throws InterruptedException {
                if (!full.isEmpty()) {
                    blocks.put(full);
                }
            }

            /** On the walk's thread: records the subtree's entries as they come. */
            void recordAll(Scanned dir) throws IOException {
                try {
                    for (List<Scanned> b = blocks.take(); b != END; b = blocks.take()) {
                        for (Scanned s : b) {
                            record(s);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("scanning " + dir.file + " interrupted");
                }
                if (failure instanceof IOException io) {
                    throw io;
                } else if (failure != null) {
                    throw new IOException("scanning " + dir.file + " failed: " + failure, failure);
                }
            }
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

        /**
         * An entry's node from its {@code lstat} and link target; a directory's extended attributes
         * too. A file's are read by the worker that reads it, if it changed.
         */
        private Scanned scan(Path file, String path) throws IOException {
            FileStat st = FileStat.lstat(file);
            Node.Type type = st.isDirectory() ? Node.Type.DIRECTORY : st.isSymbolicLink() ? Node.Type.SYMLINK
                    : st.isRegularFile() ? Node.Type.FILE : Node.Type.OTHER;
            String target = type == Node.Type.SYMLINK ? Files.readSymbolicLink(file).toString() : null;
            SortedMap<String, byte[]> attributes = type == Node.Type.DIRECTORY ? xattrs(file) : Collections.emptySortedMap();
            Node node = new Node(type, path, st.mode(), st.uid(), st.gid(), st.mtimeNanos(), st.atimeNanos(),
                    st.ctimeNanos(), st.inode(), type == Node.Type.FILE ? st.size() : 0, target, attributes, List.of());
            return new Scanned(file, node, st);
        }

        /**
         * Takes a scanned entry in tree order: a second name of a file becomes a link to the first; a
         * file whose size, times and inode match the parent's keeps its extents and attributes
         * (changing those changes ctime) without being read; a changed file joins a batch.
         */
        private void record(Scanned s) throws IOException {
            Node node = s.node;
            FileStat st = s.stat;
            if (node.type() == Node.Type.DIRECTORY) {
                directories++;
            } else if (node.type() == Node.Type.FILE) {
                files++;
                String first = st.links() > 1
                        ? firstNameOfInode.putIfAbsent(st.device() + ":" + st.inode(), node.path()) : null;
                if (first != null) {
                    node = new Node(Node.Type.HARDLINK, node.path(), node.mode(), node.uid(), node.gid(),
                            node.mtimeNanos(), node.atimeNanos(), node.ctimeNanos(), node.inode(), 0, first,
                            Collections.emptySortedMap(), List.of());
                } else {
                    recordFile(s);
                    return;
                }
            }
            emit(CompletableFuture.completedFuture(node));
        }

        private void recordFile(Scanned s) throws IOException {
            Node node = s.node;
            long size = node.size();
            total.addAndGet(size);
            Node was = parent.file(node.path());
            if (was != null && was.size() == size && was.mtimeNanos() == node.mtimeNanos()
                    && was.ctimeNanos() == node.ctimeNanos() && was.inode() == node.inode()
                    && was.extents().stream().allMatch(x -> repo.contains(x.chunk()))) {
                unchanged.incrementAndGet();
                finished(size);
                emit(CompletableFuture.completedFuture(node.with(was.xattrs(), was.extents())));
                return;
            }
            Changed c = new Changed(s, new CompletableFuture<>());
            batch.add(c);
            batchBytes += size;
            emit(c.node);
            if (batch.size() >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
                submitBatch();
            }
        }

        /**
         * Queues a node for the stream and writes out those finished at the head; past
         * {@link #PENDING} waiting, waits for the head (a long file) before going on.
         */
        private void emit(CompletableFuture<Node> node) throws IOException {
            pending.add(node);
            if (pending.size() > PENDING) {
                submitBatch(); // the head may be in it
                writeHead();
            }
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                writeHead();
            }
        }

        /** Writes the first waiting node to the stream, once its worker has finished it. */
        private void writeHead() throws IOException {
            out.write(BoundedTasks.result(pending.removeFirst(), "tree backup"));
        }

        /**
         * Sends the changed files gathered so far to the task pool as one task: a task per small
         * file cost a thread wake-up each (4.5% of a tree backup, on this VM).
         */
        void submitBatch() throws IOException {
            if (batch.isEmpty()) {
                return;
            }
            List<Changed> changed = batch;
            batch = new ArrayList<>();
            batchBytes = 0;
            tasks.submit(() -> {
                try {
                    for (Changed c : changed) {
                        Node n = c.entry.node;
                        c.node.complete(n.with(xattrs(c.entry.file), chunkFile(c.entry.file, n.size())));
                        finished(n.size());
                    }
                } catch (Throwable t) {
                    changed.forEach(c -> c.node.completeExceptionally(t));
                    throw t;
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
