/**
 * Time-driven work: plan rules firing on AWS cron in their time zones, recovery point lifecycle
 * (cold storage, expiry) and the garbage collection that frees expired data; plus stepping a
 * simulated clock through all of it.
 */
package io.lifeboat.engine.scheduler;
