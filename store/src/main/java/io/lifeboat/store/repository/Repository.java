package io.lifeboat.store.repository;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.ChunkSealer;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.crypto.Envelope;
import io.lifeboat.store.crypto.RepositoryKeys;
import io.lifeboat.store.pack.PackWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * An open repository: its keys, the index of every stored chunk (loaded from the index files at
 * open), and access to chunks and manifests. Layout and write ordering in docs/store-format.md,
 * "Repository".
 */
public final class Repository {
    static final String CONFIG = "config";
    static final String KEYS = "keys/0";
    static final String INDEX_LABEL = "lifeboat index v2";
    static final String MANIFEST_LABEL = "lifeboat manifest v1";

    private final Backend backend;
    private final String id;
    private final RepositoryKeys keys;
    private final ChunkSealer sealer;
    private final Envelope envelope;
    /** Replaced whole when the index files are read again, so a reader sees one state or the other. */
    private volatile ChunkIndex index = new ChunkIndex();
    private volatile Set<String> indexFiles = ConcurrentHashMap.newKeySet();
    /**
     * Held while the index takes what a file adds or is replaced whole: so a reload that listed the
     * index files just before a writer stored one does not drop what that writer added meanwhile.
     */
    private final Object indexChange = new Object();
    private final Map<String, String> damagedIndexes = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();
    private volatile Duration gcGrace = DEFAULT_GC_GRACE;
    /** The sealed gc state as it was just before the index was last read (null: there was none). */
    private volatile byte[] gcStateAtIndexLoad;

    /**
     * How long garbage collection leaves a condemned chunk or pack before deleting it; a backup
     * must commit within half of it (docs/store-format.md, "Locks and garbage collection").
     */
    public static final Duration DEFAULT_GC_GRACE = Duration.ofHours(24);
    /**
     * Packs of about 16 MiB, as restic's: few enough objects for S3 and directory listings, and a
     * pack is written in segments as it fills, so its size does not weigh on memory.
     */
    public static final int PACK_BYTES = 16 << 20;

    private Repository(Backend backend, String id, RepositoryKeys keys) {
        this.backend = backend;
        this.id = id;
        this.keys = keys;
        this.sealer = new ChunkSealer(keys);
        this.envelope = new Envelope(keys);
    }

    /** Creates a repository on an empty backend with fresh keys, wrapped by {@code wrapper}. */
    public static Repository init(Backend backend, KeyWrapper wrapper) throws IOException {
        if (backend.exists(CONFIG)) {
            throw new FileAlreadyExistsException("a repository already exists at " + backend);
        }
        RepositoryKeys keys = RepositoryKeys.generate(new SecureRandom());
        String id = UUID.randomUUID().toString();
        backend.put(KEYS, wrapper.wrap(keys.encode()));
        backend.put(CONFIG, ("{\"version\":1,\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        return new Repository(backend, id, keys);
    }

    public static Repository open(Backend backend, KeyWrapper wrapper) throws IOException {
        String config = new String(backend.get(CONFIG), StandardCharsets.UTF_8);
        if (!config.contains("\"version\":1")) {
            throw new CorruptBlobException("repository config is not version 1: " + config);
        }
        int at = config.indexOf("\"id\":\"") + 6;
        String id = config.substring(at, config.indexOf('"', at));
        RepositoryKeys keys;
        try {
            keys = RepositoryKeys.decode(wrapper.unwrap(backend.get(KEYS)));
        } catch (IllegalArgumentException e) {
            throw new CorruptBlobException("repository keys could not be unwrapped: " + e.getMessage(), e);
        }
        Repository repo = new Repository(backend, id, keys);
        repo.reloadIndex();
        return repo;
    }

    /**
     * Reads every index file (again): at open, before a backup when it has changed, and where
     * verify and garbage collection need the current state. A damaged file is skipped and remembered, not fatal: the
     * chunks it named read as missing, verify reports it, and the rest stays usable. The new index
     * replaces the old whole, so a reader on another thread never misses a chunk that is in both.
     */
    public void reloadIndex() throws IOException {
        byte[] state = gcStateBlob(); // before the index: see gcStateWithCurrentIndex
        record Loaded(ChunkIndex index, Set<String> files, Map<String, String> damaged) {
        }
        Loaded fresh = whileReplaced(() -> {
            Loaded l = new Loaded(new ChunkIndex(index.size()), ConcurrentHashMap.newKeySet(), new HashMap<>()); // sized as before
            for (String name : backend.list("index/")) {
                readIndexFile(name, l.index, l.files, l.damaged);
            }
            return l;
        });
        synchronized (indexChange) {
            for (String name : indexFiles) {
                if (!fresh.files.contains(name) && !fresh.damaged.containsKey(name)) {
                    try {
                        readIndexFile(name, fresh.index, fresh.files, fresh.damaged); // stored here after the listing
                    } catch (NoSuchFileException collected) {
                        // deleted by a collection since: rightly gone
                    }
                }
            }
            index = fresh.index;
            indexFiles = fresh.files;
        }
        damagedIndexes.clear();
        damagedIndexes.putAll(fresh.damaged);
        gcStateAtIndexLoad = state;
    }

    /**
     * The garbage-collection state, with an index read after it: what a writer needs before it
     * reuses chunks ({@link ChunkWriter}). A collection writes its state last, so a chunk it deleted
     * is either still in that state or already gone from the index. The index is read again only if
     * a collection has run or other writers have added index files since it was last read.
     */
    GcState gcStateWithCurrentIndex() throws IOException {
        return whileReplaced(() -> gcState(currentIndex()));
    }

    /** An I/O step that may find what it reads replaced. */
    private interface Reading<T> {
        T read() throws IOException;
    }

    /**
     * {@code reading}, again if a collection replaced what it read (index files, gc state parts)
     * meanwhile: it stores the new before deleting the old, so reading again finds it.
     */
    private static <T> T whileReplaced(Reading<T> reading) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return reading.read();
            } catch (NoSuchFileException replaced) {
                if (attempt == 10) {
                    throw replaced;
                }
            }
        }
    }

    /** Brings the index up to date (see {@link #gcStateWithCurrentIndex}); the sealed gc state it goes with. */
    private byte[] currentIndex() throws IOException {
        byte[] state = gcStateBlob();
        Set<String> known = new HashSet<>(indexFiles);
        known.addAll(damagedIndexes.keySet());
        Set<String> listed = new HashSet<>(backend.list("index/"));
        if (!Arrays.equals(state, gcStateAtIndexLoad) || !listed.containsAll(known)
                || !readAddedIndexes(listed, known)) {
            reloadIndex();
            state = gcStateAtIndexLoad;
        }
        return state;
    }

    /**
     * With no collection since the index was read and no file gone, other writers can only have
     * added index files: reading just those is the same as reading all again, and keeps a
     * long-lived repository's backups from re-reading an index that grows with every backup.
     * False when one of them vanished meanwhile (a collection started): then read everything.
     */
    private boolean readAddedIndexes(Set<String> listed, Set<String> known) throws IOException {
        for (String name : listed) {
            if (known.contains(name)) {
                continue;
            }
            try {
                synchronized (indexChange) {
                    readIndexFile(name, index, indexFiles, damagedIndexes);
                }
            } catch (NoSuchFileException gone) {
                return false;
            }
        }
        return true;
    }

    /** Adds one index file's entries; a damaged file is remembered, not fatal. A vanished one throws. */
    private void readIndexFile(String name, ChunkIndex entries, Set<String> files, Map<String, String> damaged)
            throws IOException {
        try {
            decodeIndex(name, envelope.open(INDEX_LABEL, backend.get(name)), entries::put);
            files.add(name);
        } catch (CorruptBlobException e) {
            damaged.put(name, e.getMessage());
        }
    }

    /**
     * The recovery points, and then the index read again, so that it names every chunk of every
     * point listed (a point's chunks are indexed before its manifest is written): where verify and
     * garbage collection start.
     */
    public List<String> manifestsWithCurrentIndex() throws IOException {
        List<String> names = manifests();
        reloadIndex();
        return names;
    }

    /** The clock for garbage-collection times and backup deadlines; tests and drills move it. */
    public Repository useClock(Clock c) {
        this.clock = c;
        return this;
    }

    public Clock clock() {
        return clock;
    }

    public Repository useGcGrace(Duration grace) {
        this.gcGrace = grace;
        return this;
    }

    public Duration gcGrace() {
        return gcGrace;
    }

    /** What garbage collection has condemned so far (empty before the first collection). */
    public GcState gcState() throws IOException {
        return gcState(gcStateBlob());
    }

    /** The state a sealed {@code gc/state} names; its parts are read from the backend. */
    private GcState gcState(byte[] sealedRoot) throws IOException {
        if (sealedRoot == null) {
            return GcState.empty();
        }
        GcState.Root root = GcState.Root.decode(envelope.open(GcState.LABEL, sealedRoot));
        IdLongs chunks = new IdLongs((int) Math.min(Integer.MAX_VALUE, (long) root.parts().size() * GcState.PART_ENTRIES));
        for (String part : root.parts()) {
            String name = GcState.PARTS + part;
            GcState.decodePart(name, envelope.open(GcState.PART_LABEL, backend.get(name)), chunks);
        }
        return new GcState(chunks, root.packs());
    }

    /** The stored, sealed root of the state; null before the first collection. Every collection writes a new one. */
    private byte[] gcStateBlob() throws IOException {
        try {
            return backend.get(GcState.NAME);
        } catch (NoSuchFileException none) {
            return null;
        }
    }

    /**
     * Replaces the garbage-collection state: only a collection holding its lock does this. Parts
     * first, then the root that names them, then parts it no longer names: a reader that read the
     * old root and finds a part gone reads the root again.
     */
    public void putGcState(GcState state) throws IOException {
        List<String> parts = new ArrayList<>();
        List<Map.Entry<ChunkId, Long>> part = new ArrayList<>();
        state.chunks().forEach((id, since) -> {
            part.add(Map.entry(id, since));
            if (part.size() == GcState.PART_ENTRIES) {
                parts.add(putGcPart(part));
                part.clear();
            }
        });
        if (!part.isEmpty()) {
            parts.add(putGcPart(part));
        }
        backend.put(GcState.NAME, envelope.seal(GcState.LABEL, new GcState.Root(parts, state.packs()).encode()));
        Set<String> named = new HashSet<>(parts);
        for (String old : backend.list(GcState.PARTS)) {
            if (!named.contains(old.substring(GcState.PARTS.length()))) {
                backend.delete(old);
            }
        }
    }

    private String putGcPart(List<Map.Entry<ChunkId, Long>> entries) throws IOException {
        return putNamedByContent(GcState.PARTS, GcState.PART_LABEL, GcState.encodePart(entries));
    }

    /** Seals {@code plain} under {@code label} as {@code dir} + SHA-256 of {@code plain}; that hash. */
    private String putNamedByContent(String dir, String label, byte[] plain) throws IOException {
        String name = PackWriter.name(plain);
        backend.put(dir + name, envelope.seal(label, plain));
        return name;
    }

    /** Index files that could not be read, with why. */
    public Map<String, String> damagedIndexes() {
        return Map.copyOf(damagedIndexes);
    }

    Set<String> indexFiles() {
        return Set.copyOf(indexFiles);
    }


    public String id() {
        return id;
    }

    public Backend backend() {
        return backend;
    }

    ChunkSealer sealer() {
        return sealer;
    }

    Envelope envelope() {
        return envelope;
    }

    public boolean contains(ChunkId chunk) {
        return index.contains(chunk);
    }

    /** A chunk's id (see {@link RepositoryKeys#id}). */
    public ChunkId chunkId(byte[] data, int offset, int length) {
        return keys.id(data, offset, length);
    }

    /** A chunk's id from its leaf digests (see {@link RepositoryKeys#id}). */
    public ChunkId idOfDigests(byte[] digests, int offset, int leaves) {
        return keys.idOfDigests(digests, offset, leaves);
    }

    /** A chunk's plaintext, read from its pack and verified. */
    public byte[] read(ChunkId chunk) throws IOException {
        return sealer.open(chunk, fromPack(chunk, (pack, at) -> backend.get(pack, at.offset(), at.sealedLength())));
    }

    /**
     * Reads a chunk into {@code into}, whose remaining bytes must be exactly the chunk's length, and
     * verifies it; a direct buffer receives it without a heap copy (the restores' path).
     */
    public void readInto(ChunkId chunk, ByteBuffer into) throws IOException {
        fromPack(chunk, (pack, at) -> {
            sealer.openInto(chunk, at.sealedLength(), blob -> backend.read(pack, at.offset(), blob), into);
            return null;
        });
    }

    /** The pack that holds a chunk, or null if the index does not name it. */
    public String packOf(ChunkId chunk) {
        Location at = index.get(chunk);
        return at == null ? null : at.pack();
    }

    /** Hints that a pack will be read soon (see {@link Backend#prefetch}). */
    public void prefetchPack(String pack) {
        backend.prefetch(packPath(pack));
    }

    /** A read of a chunk's sealed bytes at {@code at} in the pack object {@code pack}. */
    private interface PackRead<T> {
        T apply(String pack, Location at) throws IOException;
    }

    /**
     * {@code read} of the chunk where the index says it is. A chunk the index does not name may be
     * a newer writer's (another process's, or another node's): the index files added since are read
     * first. An index held longer than the grace period may name a pack a collection repacked and
     * has since deleted: then the current index, read again, knows the new place.
     */
    private <T> T fromPack(ChunkId chunk, PackRead<T> read) throws IOException {
        Location at = index.get(chunk);
        if (at == null) {
            currentIndex();
            at = index.get(chunk);
        }
        if (at == null) {
            throw new CorruptBlobException("chunk " + chunk + " is not in the index");
        }
        try {
            return read.apply(packPath(at.pack()), at);
        } catch (NoSuchFileException e) {
            reloadIndex();
            Location now = index.get(chunk);
            if (now == null || now.equals(at)) {
                throw new CorruptBlobException("chunk " + chunk + ": its pack " + at.pack() + " is missing");
            }
            return fromPack(chunk, read);
        }
    }

    /** The pack name in a path under {@code data/}: its last part. */
    public static String packName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * A pack name as the 32-byte id tables key packs by, or null if {@code name} cannot be a pack's
     * (64 lower-case hex digits): something under {@code data/} that is not Lifeboat's.
     */
    public static ChunkId packId(String name) {
        if (name.length() != 64) {
            return null;
        }
        for (int i = 0; i < 64; i++) {
            char c = name.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return null;
            }
        }
        return ChunkId.parse(name);
    }

    static String packPath(String pack) {
        return "data/" + pack.substring(0, 2) + "/" + pack;
    }

    /** Starts a writer for new chunks; packs of about {@code packBytes}. */
    public ChunkWriter writer(int packBytes) throws IOException {
        return new ChunkWriter(this, packBytes);
    }

    public void putManifest(String name, byte[] manifest) throws IOException {
        backend.put("manifests/" + name, envelope.seal(MANIFEST_LABEL, manifest));
    }

    public byte[] manifest(String name) throws IOException {
        return envelope.open(MANIFEST_LABEL, backend.get("manifests/" + name));
    }

    /** Deletes a recovery point's manifest; its chunks stay until garbage collection. */
    public void deleteManifest(String name) throws IOException {
        backend.delete("manifests/" + name);
    }

    public List<String> manifests() throws IOException {
        return backend.list("manifests/").stream().map(n -> n.substring("manifests/".length())).toList();
    }

    /**
     * Writes index files naming {@code entries} (whose packs are stored), at most
     * {@link ChunkWriter#INDEX_ENTRIES} to a file, and adds them to the index.
     */
    void putIndex(Map<ChunkId, Location> entries) throws IOException {
        List<Map.Entry<ChunkId, Location>> all = List.copyOf(entries.entrySet());
        for (int from = 0; from < all.size(); from += ChunkWriter.INDEX_ENTRIES) {
            List<Map.Entry<ChunkId, Location>> part = all.subList(from, Math.min(all.size(), from + ChunkWriter.INDEX_ENTRIES));
            String name = writeIndexFile(part);
            synchronized (indexChange) {
                indexFiles.add(name);
                part.forEach(e -> index.put(e.getKey(), e.getValue()));
            }
        }
    }

    /** Stores one index file naming {@code entries}, without adding them to the index; its name. */
    String writeIndexFile(List<Map.Entry<ChunkId, Location>> entries) throws IOException {
        return "index/" + putNamedByContent("index/", INDEX_LABEL, encodeIndex(entries));
    }

    /**
     * After a collection stored index files {@code fresh} in place of {@code old}: the chunks it
     * moved are where it put them, and those it dropped are forgotten.
     */
    void indexReplaced(Set<String> old, Set<String> fresh, ChunkIndex moved, ChunkSet gone) throws IOException {
        synchronized (indexChange) {
            indexFiles.addAll(fresh);
            indexFiles.removeAll(old);
            moved.forEach(index::put);
            gone.forEach(index::remove);
        }
    }

    /** A visit of an index entry. */
    public interface IndexVisitor {
        void accept(ChunkId id, Location at) throws IOException;
    }

    /**
     * Visits every indexed chunk, without copying the index; meanwhile this repository's index
     * takes no additions, so {@code visitor} must not add chunks.
     */
    public void forEachIndexed(IndexVisitor visitor) throws IOException {
        index.forEach(visitor);
    }

    /** One entry of an index file: chunk id, offset, sealed and plaintext length. */
    private static final int ENTRY = ChunkId.LENGTH + 8 + 4 + 4;
    private static final int PACK_NAME = 32;

    /**
     * Index file plaintext, a pack at a time: {@code pack count (4) || (pack name (32) || entry count (4)
     * || (chunk id (32) || offset (8) || sealed (4) || plain (4))*)*}: 48 bytes a chunk.
     */
    static byte[] encodeIndex(List<Map.Entry<ChunkId, Location>> entries) {
        Map<String, List<Map.Entry<ChunkId, Location>>> byPack = new LinkedHashMap<>();
        entries.forEach(e -> byPack.computeIfAbsent(e.getValue().pack(), p -> new ArrayList<>()).add(e));
        ByteBuffer b = ByteBuffer.allocate(4 + byPack.size() * (PACK_NAME + 4) + entries.size() * ENTRY);
        b.putInt(byPack.size());
        byPack.forEach((pack, in) -> {
            b.put(HexFormat.of().parseHex(pack)).putInt(in.size());
            for (Map.Entry<ChunkId, Location> e : in) {
                Location at = e.getValue();
                b.put(e.getKey().bytes()).putLong(at.offset()).putInt(at.sealedLength()).putInt(at.plainLength());
            }
        });
        return b.array();
    }

    /** Hands an index file's entries to {@code out}; nothing when the file is malformed (it throws first). */
    static void decodeIndex(String name, byte[] plain, BiConsumer<ChunkId, Location> out) throws CorruptBlobException {
        ByteBuffer b = ByteBuffer.wrap(plain);
        if (!wellFormedIndex(b)) {
            throw new CorruptBlobException("index " + name + ": malformed (" + plain.length + " bytes)");
        }
        b.rewind();
        int packs = b.getInt();
        byte[] id = new byte[ChunkId.LENGTH];
        byte[] pack = new byte[PACK_NAME];
        for (int p = 0; p < packs; p++) {
            b.get(pack);
            String packName = HexFormat.of().formatHex(pack); // one string for all of a pack's entries
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                b.get(id);
                out.accept(ChunkId.of(id), new Location(packName, b.getLong(), b.getInt(), b.getInt()));
            }
        }
    }

    /** Whether {@code b} holds exactly its pack count of packs and their entries. */
    private static boolean wellFormedIndex(ByteBuffer b) {
        int packs = b.remaining() < 4 ? -1 : b.getInt();
        for (int p = 0; p < packs; p++) {
            if (b.remaining() < PACK_NAME + 4) {
                return false;
            }
            b.position(b.position() + PACK_NAME);
            int n = b.getInt();
            if (n < 0 || b.remaining() < (long) n * ENTRY) {
                return false;
            }
            b.position(b.position() + n * ENTRY);
        }
        return packs >= 0 && !b.hasRemaining();
    }
}
