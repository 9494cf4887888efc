package io.lifeboat.engine.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.domain.Arns;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.compute.Backing;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.ComputeTags;
import io.lifeboat.domain.compute.Image;
import io.lifeboat.domain.compute.Instance;
import io.lifeboat.domain.compute.Volume;
import io.lifeboat.domain.iam.IamService;
import io.lifeboat.domain.job.BackupJob;
import io.lifeboat.domain.job.JobService;
import io.lifeboat.domain.job.RecoveryPoint;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.engine.vault.VaultGc;
import io.lifeboat.engine.vault.VaultStores;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.tree.TreeArchiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one backup job: checks the role, the vault and the instance as AWS does at job time, then
 * stores every attached volume of the instance into the vault's store as one recovery point (an
 * image, with a manifest per volume built on the resource's previous point), reporting progress.
 * The point stays CREATING until every volume is stored; any failure removes what was written.
 */
final class BackupExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(BackupExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROGRESS_EVERY_MS = 500;
    static final String IMAGE_DESCRIPTION = "This image is created by the AWS Backup service.";

    private final JobService jobs;
    private final RecoveryPointService points;
    private final VaultService vaults;
    private final ComputeService compute;
    private final ComputeTags tags;
    private final IamService iam;
    private final VaultStores stores;
    private final VaultGc gc;
    private final Ids ids;
    private final Clock clock;
    private final long readBytesPerSecond;

    BackupExecutor(JobService jobs, RecoveryPointService points, VaultService vaults, ComputeService compute,
                   ComputeTags tags, IamService iam, VaultStores stores, VaultGc gc, Ids ids, Clock clock,
                   long readBytesPerSecond) {
        this.jobs = jobs;
        this.points = points;
        this.vaults = vaults;
        this.compute = compute;
        this.tags = tags;
        this.iam = iam;
        this.stores = stores;
        this.gc = gc;
        this.ids = ids;
        this.clock = clock;
        this.readBytesPerSecond = readBytesPerSecond;
    }

    void run(Scope scope, String jobId) {
        BackupJob job = jobs.backupJob(scope, jobId);
        if (job.state().terminal()) {
            jobs.end(scope, job, job.state(), job.statusMessage(), job.messageCategory());
            return;
        }
        if (job.state() == BackupJob.State.ABORTING) {
            jobs.end(scope, job, BackupJob.State.ABORTED, "Backup job was stopped by user.", "ABORTED");
            return;
        }
        Optional<String> denied = iam.denial(job.iamRoleArn(), false);
        if (denied.isPresent()) {
            jobs.end(scope, job, BackupJob.State.FAILED, denied.get(), "AccessDenied");
            return;
        }
        Optional<Vault> vault = vaults.find(scope, job.vaultName());
        if (vault.isEmpty()) {
            jobs.end(scope, job, BackupJob.State.FAILED, "Backup vault " + job.vaultName() + " does not exist.",
                    "InvalidParameters");
            return;
        }
        String instanceId = job.resourceArn().substring(job.resourceArn().indexOf("instance/") + 9);
        Optional<Instance> instance = compute.findInstance(scope, instanceId)
                .filter(i -> i.state() != Instance.State.TERMINATED);
        if (instance.isEmpty()) {
            jobs.end(scope, job, BackupJob.State.FAILED, "Resource " + job.resourceArn() + " was not found.",
                    "InvalidParameters");
            return;
        }
        Instant now = clock.instant();
        if (now.isAfter(job.completeBy())) {
            jobs.end(scope, job, BackupJob.State.EXPIRED, "Backup job expired before completion.", "EXPIRED");
            return;
        }
        String imageId = ids.ec2("ami");
        String pointArn = Arns.ec2Image(scope.region(), imageId); // an EC2 point is its image
        job = jobs.changeBackup(scope, job.id(), j -> j.state().terminal() || j.state() == BackupJob.State.ABORTING ? j
                : j.with(BackupJob.State.RUNNING, null, null, now).withProgress(0, 0, 0, pointArn)).orElseThrow();
        if (job.state() != BackupJob.State.RUNNING) {
            run(scope, jobId); // stopped since it was read: ends it as the stop left it
            return;
        }
        compute.registerImage(scope, imageId, name(job, now), IMAGE_DESCRIPTION, instance.get().rootDeviceName(),
                List.of(), job.vaultName());
        RecoveryPoint point = points.create(scope, new RecoveryPoint(pointArn, job.vaultName(),
                job.vaultArn(), job.resourceArn(), "EC2", job.resourceName(), job.createdBy(), job.iamRoleArn(),
                RecoveryPoint.Status.CREATING, null, now, null, 0, job.lifecycle(), vault.get().encryptionKeyArn(),
                "WARM", null, job.id(), List.of(), restoreMetadata(scope, instance.get(), job), null));
        try {
            Repository repo = stores.open(scope, vault.get());
            List<RecoveryPoint.PointVolume> stored = store(scope, job, instance.get(), imageId, repo);
            long size = stored.stream().mapToLong(RecoveryPoint.PointVolume::sizeBytes).sum();
            Instant done = clock.instant();
            RecoveryPoint completed = point.completed(done, size, stored);
            compute.imageAvailable(scope, imageId, stored.stream().map(v -> new Image.Device(v.device(),
                    Math.max(1, (v.sizeBytes() + (1L << 30) - 1) >> 30),
                    Backing.valueOf(v.backing()), v.manifest())).toList());
            points.complete(scope, completed);
            if (job.recoveryPointTags() != null && !job.recoveryPointTags().isEmpty()) {
                tags.createTags(scope, List.of(imageId), job.recoveryPointTags());
            }
            dailyCollection(scope, job.vaultName());
            BackupJob latest = jobs.backupJob(scope, job.id());
            jobs.end(scope, latest.withProgress(100.0, latest.bytesTransferred(), size, pointArn),
                    BackupJob.State.COMPLETED, null, "SUCCESS");
        } catch (IOException | RuntimeException e) {
            JobStopped stop = stoppedBy(e);
            if (stop != null) {
                discard(scope, point);
                jobs.end(scope, jobs.backupJob(scope, job.id()), stop.state, stop.getMessage(), stop.category);
                return;
            }
            LOG.warn("backup job {} of {} failed", job.id(), job.resourceArn(), e);
            discard(scope, point);
            jobs.end(scope, jobs.backupJob(scope, job.id()), BackupJob.State.FAILED,
                    "Backup job failed: " + message(e), "FAILED");
        }
    }

    /** The stop a progress callback raised, however the store wrapped it on its way out. */
    private static JobStopped stoppedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JobStopped s) {
                return s;
            }
        }
        return null;
    }

    private static String name(BackupJob job, Instant at) {
        return "AwsBackup_" + job.resourceArn().substring(job.resourceArn().lastIndexOf('/') + 1) + "_"
                + job.id().substring(0, 8) + "_" + at.getEpochSecond();
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private List<RecoveryPoint.PointVolume> store(Scope scope, BackupJob job, Instance instance, String imageId,
                                                  Repository repo) throws IOException {
        List<Volume> volumes = compute.attachedVolumes(scope, instance);
        Map<String, String> parents = new LinkedHashMap<>();
        points.latestCompleted(scope, job.vaultName(), job.resourceArn())
                .ifPresent(p -> p.volumes().forEach(v -> parents.put(v.volumeId() + v.device(), v.manifest())));
        long total = 0;
        for (Volume v : volumes) {
            total += v.backing().isTree() ? 0 : sizeOf(Path.of(v.path()));
        }
        ProgressReport report = new ProgressReport(scope, job.id(), total);
        List<RecoveryPoint.PointVolume> stored = new ArrayList<>();
        for (Volume v : volumes) {
            Path path = Path.of(v.path());
            if (!Files.exists(path)) {
                throw new IOException("volume " + v.id() + " (" + v.device() + ") cannot be read: " + path
                        + " does not exist");
            }
            String manifest = imageId + "/" + v.device().replaceFirst("^/dev/", "").replace('/', '_');
            String parent = parents.get(v.id() + v.device());
            long size;
            if (v.backing().isTree()) {
                TreeArchiver.Result r = new TreeArchiver(repo, Repository.PACK_BYTES).backup(path, manifest, parent,
                        report.volume());
                size = r.bytesRead();
            } else {
                ImageArchiver.Result r = new ImageArchiver(repo, Repository.PACK_BYTES).backup(path, manifest, parent,
                        report.volume());
                size = r.size();
            }
            report.next();
            stored.add(new RecoveryPoint.PointVolume(v.device(), v.id(), v.backing().isTree() ? "DIRECTORY"
                    : "MANAGED", size, manifest));
        }
        return stored;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Progress of all volumes of a job, stored at most twice a second; each report also checks
     * whether the job was stopped or its completion window closed, and stops the backup if so.
     */
    private final class ProgressReport {
        private final Scope scope;
        private final String jobId;
        private final long total;
        private long doneBefore;
        private long storedBefore;
        private long done;
        private long stored;
        private long lastSave;
        private long readBefore;
        private long read;
        private final long started = System.nanoTime();

        ProgressReport(Scope scope, String jobId, long total) {
            this.scope = scope;
            this.jobId = jobId;
            this.total = total;
        }

        Progress volume() {
            return (bytesDone, bytesTotal, bytesRead, bytesStored) -> {
                update(bytesDone, bytesRead, bytesStored);
                throttle();
            };
        }

        void next() {
            doneBefore = done;
            storedBefore = stored;
            readBefore = read;
            save(true);
        }

        private synchronized void update(long bytesDone, long bytesRead, long bytesStored) {
            done = doneBefore + bytesDone;
            stored = storedBefore + bytesStored;
            read = readBefore + bytesRead;
            save(false);
        }

        /** Holds the reading thread back while the job is ahead of its read-rate limit. */
        private void throttle() {
            if (readBytesPerSecond <= 0) {
                return;
            }
            long dueNanos = (long) (readSoFar() * 1e9 / readBytesPerSecond);
            long ahead = dueNanos - (System.nanoTime() - started);
            if (ahead > 0) {
                try {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JobStopped(BackupJob.State.FAILED, "Backup job was interrupted.", "FAILED");
                }
            }
        }

        private synchronized long readSoFar() {
            return read;
        }

        private synchronized void save(boolean force) {
            long t = System.currentTimeMillis();
            if (!force && t - lastSave < PROGRESS_EVERY_MS) {
                return;
            }
            lastSave = t;
            double percent = Math.round((total <= 0 ? 0 : Math.min(99.9, 100.0 * done / total)) * 10) / 10.0;
            BackupJob job = jobs.changeBackup(scope, jobId, j -> j.state() == BackupJob.State.RUNNING
                    ? j.withProgress(percent, stored, done, j.recoveryPointArn()) : j).orElseThrow();
            if (job.state() == BackupJob.State.ABORTING) {
                throw new JobStopped(BackupJob.State.ABORTED, "Backup job was stopped by user.", "ABORTED");
            }
            if (clock.instant().isAfter(job.completeBy())) {
                throw new JobStopped(BackupJob.State.EXPIRED, "Backup job expired before completion.", "EXPIRED");
            }
        }
    }

    /**
     * Removes a point that did not complete: whatever manifests of it reached the vault's store (its
     * chunks become garbage for the collector), its image, its record.
     */
    void discard(Scope scope, RecoveryPoint point) {
        try {
            Optional<Vault> vault = vaults.find(scope, point.vaultName());
            if (vault.isPresent()) {
                Repository repo = stores.open(scope, vault.get());
                for (String m : repo.manifests()) {
                    if (m.startsWith(point.imageId() + "/")) {
                        repo.deleteManifest(m);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not remove the manifests of discarded point {}; garbage collection will not free "
                    + "their data until they are deleted", point.arn(), e);
        }
        compute.deregisterImage(scope, point.imageId());
        points.remove(scope, point);
        dailyCollection(scope, point.vaultName());
    }

    /** The vault's collection at the start of the next day: index files to merge, garbage of failed jobs. */
    private void dailyCollection(Scope scope, String vaultName) {
        gc.queue(scope, vaultName, false, clock.instant().truncatedTo(ChronoUnit.DAYS)
                .plus(Duration.ofDays(1)));
    }

    /** The instance's launch settings, as GetRecoveryPointRestoreMetadata returns them. */
    private Map<String, String> restoreMetadata(Scope scope, Instance i, BackupJob job) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            m.put("InstanceType", i.instanceType());
            m.put("SubnetId", i.subnetId());
            m.put("VpcId", i.vpcId());
            m.put("SecurityGroupIds", JSON.writeValueAsString(i.securityGroupIds()));
            m.put("Placement", JSON.writeValueAsString(Map.of("AvailabilityZone", i.availabilityZone(),
                    "GroupName", "", "Tenancy", "default")));
            if (i.keyName() != null) {
                m.put("KeyName", i.keyName());
            }
            m.put("Architecture", "x86_64");
            m.put("EnaSupport", "true");
            m.put("EbsOptimized", "false");
            m.put("RootDeviceType", "ebs");
            m.put("VirtualizationType", "hvm");
            m.put("DisableApiTermination", "false");
            m.put("InstanceInitiatedShutdownBehavior", "stop");
            List<Map<String, Object>> devices = new ArrayList<>();
            for (Volume v : compute.attachedVolumes(scope, i)) {
                devices.add(Map.of("DeviceName", v.device(), "Ebs", Map.of("DeleteOnTermination",
                        v.deleteOnTermination(), "VolumeSize", v.sizeGiB(), "VolumeType", "gp3", "Encrypted", false)));
            }
            m.put("BlockDeviceMappings", JSON.writeValueAsString(devices));
            m.put("aws:backup:request-id", job.id());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }
}
