/**
 * Backup plans (versioned documents of rules), AWS cron ({@code ScheduleExpression}), lifecycles,
 * copy actions, templates and their JSON form, and the selections that say what a plan protects.
 */
package io.lifeboat.domain.plan;
