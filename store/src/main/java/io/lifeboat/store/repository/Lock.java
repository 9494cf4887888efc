package io.lifeboat.store.repository;

import io.lifeboat.store.backend.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lock object under {@code locks/}, held by garbage collection and verify so they do not run
 * at once (backups and restores need none: the grace period protects them). Taking a lock writes
 * it first and then looks for others, so of two racing takers at least one backs off. Locks older
 * than {@link #STALE} are ignored (their process died) and removed by the next garbage
 * collection; a holder rewrites its lock every third of that.
 */
public final class Lock implements AutoCloseable {
    public static final Duration STALE = Duration.ofMinutes(30);
    private static final Pattern FIELDS = Pattern.compile(
            "\\{\"exclusive\":(true|false),\"time\":(\\d+),\"purpose\":\"([^\"]*)\"}");

    private final Backend backend;
    private final String name;
    private final String purpose;
    private final Clock clock;
    private final Thread refresher;

    private Lock(Backend backend, String purpose, Clock clock) throws IOException {
        this.backend = backend;
        this.name = "locks/" + UUID.randomUUID();
        this.purpose = purpose.replaceAll("[\"\\\\]", "'");
        this.clock = clock;
        write();
        try {
            checkConflicts();
        } catch (IOException e) {
            backend.delete(name);
            throw e;
        }
        this.refresher = Thread.ofPlatform().name("lock-refresh").daemon().start(this::refresh);
    }

    public static Lock exclusive(Repository repo, String purpose) throws IOException {
        return new Lock(repo.backend(), purpose, Clock.systemUTC());
    }

    private void write() throws IOException {
        String json = "{\"exclusive\":true,\"time\":" + clock.millis() + ",\"purpose\":\"" + purpose + "\"}";
        backend.put(name, json.getBytes(StandardCharsets.UTF_8));
    }

    private void checkConflicts() throws IOException {
        Instant now = clock.instant();
        for (String other : backend.list("locks/")) {
            if (other.equals(name)) {
                continue;
            }
            Matcher m;
            try {
                m = FIELDS.matcher(new String(backend.get(other), StandardCharsets.UTF_8));
            } catch (java.nio.file.NoSuchFileException gone) {
                continue;
            }
            if (!m.matches()) {
                continue; // not a lock this version wrote; verify and gc ignore it too
            }
            Instant taken = Instant.ofEpochMilli(Long.parseLong(m.group(2)));
            boolean fresh = taken.isAfter(now.minus(STALE));
            if (fresh) {
                throw new RepositoryLockedException("the repository is locked for " + m.group(3) + " since " + taken
                        + " (" + other + "); try again when it has finished");
            }
        }
    }

    /** Removes locks older than {@link #STALE}: what garbage collection does under its exclusive lock. */
    public void removeStale() throws IOException {
        Instant limit = clock.instant().minus(STALE);
        for (String other : backend.list("locks/")) {
            if (other.equals(name)) {
                continue;
            }
            Matcher m = FIELDS.matcher(new String(backend.get(other), StandardCharsets.UTF_8));
            if (m.matches() && Instant.ofEpochMilli(Long.parseLong(m.group(2))).isBefore(limit)) {
                backend.delete(other);
            }
        }
    }

    /**
     * Removes every lock, whoever holds it: what an operator does after a crash left one behind
     * (a backup killed mid-way would otherwise block garbage collection for {@link #STALE}).
     */
    public static int removeAll(Repository repo) throws IOException {
        List<String> locks = repo.backend().list("locks/");
        for (String lock : locks) {
            repo.backend().delete(lock);
        }
        return locks.size();
    }

    private void refresh() {
        long every = STALE.toMillis() / 3;
        while (true) {
            try {
                Thread.sleep(every);
                write();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the next refresh tries again; a lock that goes stale is the worst case
            }
        }
    }

    @Override
    public void close() throws IOException {
        refresher.interrupt();
        backend.delete(name);
    }

    /** Another process holds a conflicting lock. */
    public static final class RepositoryLockedException extends IOException {
        RepositoryLockedException(String message) {
            super(message);
        }
    }
}
