/**
 * The workers that move data: they claim backup and restore jobs from the work queue with a lease,
 * run them against the vault stores and the instances' volumes, and report every transition to
 * the job service before acting on it. At start-up, jobs whose node died are ended with a reason.
 */
package io.lifeboat.engine.jobs;
