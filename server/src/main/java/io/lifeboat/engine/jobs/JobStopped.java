package io.lifeboat.engine.jobs;

import io.lifeboat.domain.job.BackupJob;

/** Thrown from a progress callback to stop a running backup: by the user, or when its window closed. */
final class JobStopped extends RuntimeException {
    final BackupJob.State state;
    final String category;

    JobStopped(BackupJob.State state, String message, String category) {
        super(message, null, false, false);
        this.state = state;
        this.category = category;
    }
}
