package io.lifeboat.engine.jobs;

import io.lifeboat.domain.Scope;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.Instance;
import io.lifeboat.domain.iam.IamService;
import io.lifeboat.domain.job.JobService;
import io.lifeboat.domain.job.RecoveryPoint;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.job.RestoreJob;
import io.lifeboat.domain.job.RestoreMetadata;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one restore job: launches a new instance (new instance and volume ids) from the recovery
 * point's image with the submitted metadata over the captured settings; its volumes are written
 * from the vault store and verified chunk by chunk on the way.
 */
final class RestoreExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreExecutor.class);

    private final JobService jobs;
    private final RecoveryPointService points;
    private final ComputeService compute;
    private final IamService iam;
    private final Clock clock;

    RestoreExecutor(JobService jobs, RecoveryPointService points, ComputeService compute, IamService iam,
                    Clock clock) {
        this.jobs = jobs;
        this.points = points;
        this.compute = compute;
        this.iam = iam;
        this.clock = clock;
    }

    void run(Scope scope, String jobId) {
        RestoreJob job = jobs.restoreJob(scope, jobId);
        if (job.status().terminal()) {
            jobs.end(scope, job, job.status(), job.statusMessage());
            return;
        }
        if (job.iamRoleArn() != null) {
            Optional<String> denied = iam.denial(job.iamRoleArn(), true);
            if (denied.isPresent()) {
                jobs.end(scope, job, RestoreJob.Status.FAILED, denied.get());
                return;
            }
        }
        Optional<RecoveryPoint> point = points.find(scope, job.recoveryPointArn())
                .filter(p -> p.status() == RecoveryPoint.Status.COMPLETED);
        if (point.isEmpty()) {
            jobs.end(scope, job, RestoreJob.Status.FAILED, "Recovery point " + job.recoveryPointArn()
                    + " is no longer available.");
            return;
        }
        if (job.metadata().containsKey("IamInstanceProfileName")) {
            jobs.end(scope, job, RestoreJob.Status.FAILED, "AWS Backup does not permit attaching a new instance "
                    + "profile to an EC2 instance during restore.");
            return;
        }
        job = jobs.save(scope, job.with(RestoreJob.Status.RUNNING, null, clock.instant()));
        try {
            Map<String, String> captured = point.get().restoreMetadata();
            Map<String, String> m = job.metadata();
            String type = m.getOrDefault("InstanceType", captured.get("InstanceType"));
            String subnet = m.getOrDefault("SubnetId", captured.get("SubnetId"));
            List<String> groups = m.containsKey("SecurityGroupIds") ? RestoreMetadata.securityGroupIds(m)
                    : RestoreMetadata.securityGroupIds(captured);
            String target = m.get(RestoreMetadata.TARGET_PATH);
            Instance launched = compute.run(scope, new ComputeService.Launch(point.get().imageId(), type, 1, 1, subnet,
                    groups, captured.get("KeyName"), Map.of(), Map.of(), null, target == null ? null : Path.of(target)))
                    .get(0);
            points.save(scope, points.byArn(scope, point.get().arn()).restoredAt(clock.instant()));
            jobs.end(scope, job.withCreatedResource(launched.arn()), RestoreJob.Status.COMPLETED, null);
        } catch (RuntimeException e) {
            LOG.warn("restore job {} of {} failed", job.id(), job.recoveryPointArn(), e);
            jobs.end(scope, jobs.restoreJob(scope, job.id()), RestoreJob.Status.FAILED,
                    "Restore job failed: " + BackupExecutor.message(e));
        }
    }
}
