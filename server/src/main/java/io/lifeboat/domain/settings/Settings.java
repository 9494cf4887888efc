package io.lifeboat.domain.settings;

import java.time.Instant;
import java.util.Map;

/** Region settings (which resource types Backup may protect) and the account's global settings. */
public record Settings(Map<String, Boolean> resourceTypeOptIn, Map<String, Boolean> resourceTypeManagement,
                       Map<String, String> global, Instant globalUpdated) {
}
