package io.lifeboat.domain.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.domain.DomainException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata keys StartRestoreJob accepts for EC2, and the ones Lifeboat adds. Structured values
 * travel as JSON text inside the string, as AWS encodes them; {@code SecurityGroupIds} is also
 * accepted as bare or comma-separated ids, as CLI users write it.
 */
public final class RestoreMetadata {
    /** Restore the volumes as files (image volumes) and directories under this directory on the server. */
    public static final String TARGET_PATH = "lifeboat:TargetPath";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EC2_KEYS = Set.of("InstanceType", "KeyName", "SubnetId", "Architecture",
            "EnaSupport", "SecurityGroupIds", "IamInstanceProfileName", "CpuOptions",
            "InstanceInitiatedShutdownBehavior", "HibernationOptions", "DisableApiTermination", "CreditSpecification",
            "Placement", "RootDeviceType", "RamdiskId", "KernelId", "UserData", "Monitoring", "NetworkInterfaces",
            "ElasticGpuSpecification", "CapacityReservationSpecification", "InstanceMarketOptions",
            "LicenseSpecifications", "EbsOptimized", "VirtualizationType", "Platform", "RequireIMDSv2",
            "BlockDeviceMappings", "aws:backup:request-id", "vpcId", "VpcId", TARGET_PATH);

    private RestoreMetadata() {
    }

    public static void validate(Map<String, String> metadata) {
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!EC2_KEYS.contains(e.getKey())) {
                throw DomainException.invalid("Invalid restore metadata key: " + e.getKey());
            }
        }
        securityGroupIds(metadata);
        String path = metadata.get(TARGET_PATH);
        if (path != null && !path.startsWith("/")) {
            throw DomainException.invalid(TARGET_PATH + " must be an absolute path on the Lifeboat server.");
        }
    }

    /** The security group ids the metadata names, in any of the accepted spellings. */
    public static List<String> securityGroupIds(Map<String, String> metadata) {
        String v = metadata.get("SecurityGroupIds");
        if (v == null || v.isBlank()) {
            return List.of();
        }
        String text = v.strip();
        if (text.startsWith("[")) {
            try {
                JsonNode node = JSON.readTree(text);
                List<String> ids = new ArrayList<>();
                for (JsonNode n : node) {
                    ids.add(n.asText());
                }
                return ids;
            } catch (IOException e) {
                throw DomainException.invalid("SecurityGroupIds is not a valid JSON array: " + v);
            }
        }
        return List.of(text.split("\\s*,\\s*"));
    }
}
