package io.lifeboat.domain.plan;

import io.lifeboat.domain.DomainException;

/** When a recovery point moves to cold storage and when it is deleted, in days after creation. */
public record Lifecycle(Long moveToColdStorageAfterDays, Long deleteAfterDays, Boolean optInToArchiveForSupportedResources,
                        String deleteAfterEvent) {

    /** AWS's rules: deletion 1..36500 days, and at least 90 days in cold storage before deletion. */
    public void validate(String where) {
        if (deleteAfterDays != null && (deleteAfterDays < 1 || deleteAfterDays > 36500)) {
            throw DomainException.invalid(where + "Invalid lifecycle. DeleteAfterDays cannot be less than 1 or more than 36500 days");
        }
        if (moveToColdStorageAfterDays != null && (moveToColdStorageAfterDays < 1 || moveToColdStorageAfterDays > 36500)) {
            throw DomainException.invalid(where + "Invalid lifecycle. MoveToColdStorageAfterDays cannot be less than 1 or more than 36500 days");
        }
        if (moveToColdStorageAfterDays != null && deleteAfterDays != null
                && deleteAfterDays < moveToColdStorageAfterDays + 90) {
            throw DomainException.invalid(where + "Invalid lifecycle. DeleteAfterDays must be at least 90 days "
                    + "greater than MoveToColdStorageAfterDays (" + moveToColdStorageAfterDays + " + 90 > "
                    + deleteAfterDays + ").");
        }
    }
}
