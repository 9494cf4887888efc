package io.lifeboat.store.tree;

import io.lifeboat.store.chunk.FastCdc;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.BoundedTasks;
import io.lifeboat.store.io.DataRegions;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backs up a directory as a tree volume. This thread walks the tree (names sorted, symlinks not
 * followed) and records each entry's metadata; file contents are cut with FastCDC and sealed by
 * worker threads, a file at a time, reading only the file system's data regions. Given the
 * volume's previous manifest, a file whose size, modification and change times and inode are
 * unchanged reuses its previous chunk list without being read, as restic does. Hard-linked files
 * are stored once; later names become links to the first.
 */
public final class TreeArchiver {
    /** What a backup did. */
    public record Result(String manifest, int files, int directories, int unchangedFiles, long bytesRead,
                         long bytesNew, int newChunks) {
    }

    private static final FastCdc CDC = FastCdc.standard();
    private static final int BUFFER = 2 * 4 * 1024 * 1024;
    private static final long SPARSE_CHECK = 1 << 20;
    /** Named, not "unix:*": that also resolves owner and group names, two NSS lookups per entry. */
    private static final String ATTRIBUTES = "unix:mode,ino,dev,nlink,uid,gid,size,lastModifiedTime,lastAccessTime,"
            + "ctime,isDirectory,isSymbolicLink,isRegularFile";
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

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
        try (ChunkWriter writer = repo.writer(packBytes);
             BoundedTasks tasks = new BoundedTasks(workers, 8 * workers, "backup of " + root)) {
            Map<String, Node> before = new HashMap<>();
            if (parentName != null) {
                for (Node n : TreeRestorer.nodes(repo, parentName)) {
                    if (n.type() == Node.Type.FILE) {
                        before.put(n.path(), n);
                    }
                }
            }
            Walk walk = new Walk(writer, tasks, before, progress);
            walk.visit(root, "");
            tasks.finish();
            List<Node> nodes = new ArrayList<>(walk.nodes.size());
            for (Node n : walk.nodes) {
                nodes.add(n.type() == Node.Type.FILE ? walk.withExtents(n) : n);
            }
            TreeManifest manifest = TreeManifest.storeNodes(repo, writer, nodes);
            writer.flush();
            repo.putManifest(manifestName, manifest.encode());
            return new Result(manifestName, walk.files, walk.directories, walk.unchanged.get(), walk.read.get(),
                    writer.bytesStored(), walk.fresh.get());
        }
    }

    /** One walk's state; file contents are chunked on the task pool into {@link #extents}. */
    private final class Walk {
        final ChunkWriter writer;
        final BoundedTasks tasks;
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

        Walk(ChunkWriter writer, BoundedTasks tasks, Map<String, Node> before, Progress progress) {
            this.writer = writer;
            this.tasks = tasks;
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

        void visit(Path file, String path) throws IOException {
            Map<String, Object> a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            long inode = (Long) a.get("ino");
            long size = (Long) a.get("size");
            Node.Type type;
            String target = null;
            if ((Boolean) a.get("isDirectory")) {
                type = Node.Type.DIRECTORY;
                directories++;
            } else if ((Boolean) a.get("isSymbolicLink")) {
                type = Node.Type.SYMLINK;
                target = Files.readSymbolicLink(file).toString();
            } else if ((Boolean) a.get("isRegularFile")) {
                type = Node.Type.FILE;
                files++;
                if ((Integer) a.get("nlink") > 1) {
                    String key = a.get("dev") + ":" + inode;
                    String first = firstNameOfInode.putIfAbsent(key, path);
                    if (first != null) {
                        type = Node.Type.HARDLINK;
                        target = first;
                    }
                }
            } else {
                type = Node.Type.OTHER;
            }
            long mtime = nanos(a.get("lastModifiedTime"));
            long ctime = nanos(a.get("ctime"));
            // A file whose size, times and inode match the parent's is not read again. Its extended
            // attributes are taken over too: changing them changes ctime.
            Node was = type == Node.Type.FILE ? before.get(path) : null;
            boolean same = was != null && was.size() == size && was.mtimeNanos() == mtime && was.ctimeNanos() == ctime
                    && was.inode() == inode && was.extents().stream().allMatch(e -> repo.contains(e.chunk()));
            SortedMap<String, byte[]> attributes = same ? was.xattrs()
                    : type == Node.Type.FILE || type == Node.Type.DIRECTORY ? xattrs(file) : new TreeMap<>();
            nodes.add(new Node(type, path, mode, (Integer) a.get("uid"), (Integer) a.get("gid"), mtime,
                    nanos(a.get("lastAccessTime")), ctime, inode, type == Node.Type.FILE ? size : 0, target, attributes,
                    List.of()));
            if (type == Node.Type.FILE) {
                total.addAndGet(size);
                if (same) {
                    extents.put(path, was.extents());
                    unchanged.incrementAndGet();
                    finished(size);
                } else {
                    tasks.submit(() -> {
                        extents.put(path, chunkFile(file, size));
                        finished(size);
                    });
                }
            } else if (type == Node.Type.DIRECTORY) {
                List<Path> children = new ArrayList<>();
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(file)) {
                    dir.forEach(children::add);
                }
                children.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    visit(child, path.isEmpty() ? name : path + "/" + name);
                }
            }
        }

        /** Cuts a file's data regions into chunks and stores the new ones. */
        List<Node.Extent> chunkFile(Path file, long size) throws IOException {
            List<Node.Extent> out = new ArrayList<>();
            byte[] buf = BUFFERS.get();
            // Holes matter for big files; a small one is read whole rather than paying four syscalls to ask.
            DataRegions data = size < SPARSE_CHECK ? DataRegions.whole(size) : DataRegions.of(file, size);
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                for (long[] region : data.regions()) {
                    long pos = region[0];
                    long end = region[1];
                    int start = 0;
                    int filled = 0;
                    boolean eof = false;
                    while (true) {
                        if (!eof && filled - start < CDC.maxSize()) {
                            System.arraycopy(buf, start, buf, 0, filled - start);
                            filled -= start;
                            start = 0;
                            int want = (int) Math.min(buf.length - filled, end - (pos + filled));
                            int got = want <= 0 ? -1 : in.read(ByteBuffer.wrap(buf, filled, want), pos + filled);
                            if (got <= 0) {
                                eof = true;
                            } else {
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

    private static long nanos(Object time) {
        FileTime t = (FileTime) time;
        return t.to(TimeUnit.SECONDS) * 1_000_000_000L + t.toInstant().getNano();
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
