/**
 * Backup and restore jobs and the recovery points they make: their records, AWS's state machines
 * and rules, listing and filtering. The engine does the data work and reports back through
 * {@link io.lifeboat.domain.job.JobService}; every transition is stored before it is acted on.
 */
package io.lifeboat.domain.job;
