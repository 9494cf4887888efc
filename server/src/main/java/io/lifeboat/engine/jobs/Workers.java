package io.lifeboat.engine.jobs;

import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.ComputeTags;
import io.lifeboat.domain.iam.IamService;
import io.lifeboat.domain.job.BackupJob;
import io.lifeboat.domain.job.JobService;
import io.lifeboat.domain.job.RecoveryPoint;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.job.RestoreJob;
import io.lifeboat.domain.job.WorkQueue;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.engine.vault.VaultGc;
import io.lifeboat.engine.vault.VaultStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's job workers: a bounded pool that claims due backup and restore jobs with a lease,
 * renews the leases it holds, and ends jobs whose node died. Jobs that are due while every worker
 * is busy wait in PENDING; a backup job still waiting when its start window closes EXPIRES.
 */
public final class Workers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    private static final List<String> KINDS = List.of(JobService.BACKUP_WORK, JobService.RESTORE_WORK);

    private final WorkQueue work;
    private final JobService jobs;
    private final RecoveryPointService points;
    private final BackupExecutor backups;
    private final RestoreExecutor restores;
    private final Clock clock;
    private final int size;
    private final Duration lease;
    private final String node;
    private final ExecutorService pool;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Object changed = new Object();

    public Workers(WorkQueue work, JobService jobs, RecoveryPointService points, VaultService vaults,
                   ComputeService compute, ComputeTags tags, IamService iam, VaultStores stores, VaultGc gc,
                   Ids ids, Clock clock, int size,
                   Duration lease, long readBytesPerSecond) {
        this.work = work;
        this.jobs = jobs;
        this.points = points;
        this.backups = new BackupExecutor(jobs, points, vaults, compute, tags, iam, stores, gc, ids, clock,
                readBytesPerSecond);
        this.restores = new RestoreExecutor(jobs, points, compute, iam, clock);
        this.clock = clock;
        this.size = size;
        this.lease = lease;
        this.node = "node-" + ids.ec2("n");
        this.pool = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "lifeboat-job");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One round: renew leases, end the jobs of dead nodes, expire backups whose start window
     * closed, mark waiting ones PENDING, and hand due jobs to free workers.
     */
    public void dispatch() {
        Instant real = Instant.now();
        for (String id : held) {
            work.renew(id, node, real.plus(lease));
        }
        for (WorkQueue.Item item : work.abandoned(real)) {
            if (KINDS.contains(item.kind()) && !held.contains(item.id())) {
                recoverAbandoned(item);
            }
        }
        Instant now = clock.instant();
        List<WorkQueue.Item> due = work.due(KINDS, now, real, 200);
        for (WorkQueue.Item item : due) {
            Scope scope = Scope.parse(item.scope());
            if (item.kind().equals(JobService.BACKUP_WORK) && item.deadline() != null && now.isAfter(item.deadline())) {
                if (work.claim(item.id(), node, real.plus(lease), real)) {
                    jobs.findBackupJob(scope, item.id()).ifPresentOrElse(j -> jobs.end(scope, j,
                            BackupJob.State.EXPIRED, "Backup job failed to start before the end of its start window "
                                    + "(" + j.startBy() + ").", "EXPIRED"), () -> work.finish(item.id()));
                }
                continue;
            }
            if (held.size() >= size) {
                if (item.kind().equals(JobService.BACKUP_WORK)) {
                    jobs.changeBackup(scope, item.id(), j -> j.state() == BackupJob.State.CREATED
                            ? j.with(BackupJob.State.PENDING, null, null, now) : j);
                }
                continue;
            }
            if (work.claim(item.id(), node, real.plus(lease), real)) {
                held.add(item.id());
                pool.execute(() -> runClaimed(item, scope));
            }
        }
    }

    private void runClaimed(WorkQueue.Item item, Scope scope) {
        try {
            if (item.kind().equals(JobService.BACKUP_WORK)) {
                backups.run(scope, item.id());
            } else {
                restores.run(scope, item.id());
            }
        } catch (RuntimeException e) {
            LOG.error("job {} could not be run; it stays queued and is retried in ten minutes", item.id(), e);
            work.postpone(item.id(), node, clock.instant().plus(Duration.ofMinutes(10)));
        } finally {
            held.remove(item.id());
            synchronized (changed) {
                changed.notifyAll();
            }
        }
    }

    /**
     * A job whose node stopped holding it. One that never started goes back to the queue; one that
     * was running ends FAILED, and the point it was making is removed: nothing half-made is kept.
     */
    private void recoverAbandoned(WorkQueue.Item item) {
        Instant real = Instant.now();
        if (!work.claim(item.id(), node, real.plus(lease), real)) {
            return;
        }
        Scope scope = Scope.parse(item.scope());
        String reason = "The Lifeboat node running this job stopped before the job finished";
        if (item.kind().equals(JobService.BACKUP_WORK)) {
            BackupJob job = jobs.findBackupJob(scope, item.id()).orElse(null);
            if (job == null || job.state().terminal()) {
                work.finish(item.id());
            } else if (job.state() == BackupJob.State.RUNNING || job.state() == BackupJob.State.ABORTING) {
                if (job.recoveryPointArn() != null) {
                    points.find(scope, job.recoveryPointArn()).filter(p -> p.status() == RecoveryPoint.Status.CREATING)
                            .ifPresent(p -> backups.discard(scope, p));
                }
                jobs.end(scope, job, BackupJob.State.FAILED, reason + "; its partial recovery point was discarded.",
                        "FAILED");
                LOG.warn("backup job {} was running on a node that stopped; ended FAILED", job.id());
            } else {
                work.release(item.id(), node);
            }
        } else {
            RestoreJob job = jobs.restoreJob(scope, item.id());
            if (job.status() == RestoreJob.Status.RUNNING) {
                jobs.end(scope, job, RestoreJob.Status.FAILED, reason + ".");
            } else {
                work.release(item.id(), node);
            }
        }
    }

    /** Whether no job is running here and none is due (for settling a simulated clock step). */
    public boolean idle() {
        return held.isEmpty() && work.due(KINDS, clock.instant(), Instant.now(), 1).isEmpty();
    }

    /** Waits until this node's running jobs end (or the timeout passes); for settling. */
    public void awaitChange(long millis) throws InterruptedException {
        synchronized (changed) {
            if (!held.isEmpty()) {
                changed.wait(millis);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
