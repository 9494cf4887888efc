package io.lifeboat.domain;

/** ARN shapes of the resources Lifeboat serves, as AWS writes them. */
public final class Arns {
    private Arns() {
    }

    public static String backupVault(Scope s, String name) {
        return "arn:aws:backup:" + s.region() + ":" + s.accountId() + ":backup-vault:" + name;
    }

    public static String backupPlan(Scope s, String planId) {
        return "arn:aws:backup:" + s.region() + ":" + s.accountId() + ":backup-plan:" + planId;
    }

    public static String kmsKey(Scope s, String keyId) {
        return "arn:aws:kms:" + s.region() + ":" + s.accountId() + ":key/" + keyId;
    }

    public static String kmsAlias(Scope s, String aliasName) {
        return "arn:aws:kms:" + s.region() + ":" + s.accountId() + ":" + aliasName;
    }

    public static String ec2Instance(Scope s, String instanceId) {
        return "arn:aws:ec2:" + s.region() + ":" + s.accountId() + ":instance/" + instanceId;
    }

    public static String ec2Volume(Scope s, String volumeId) {
        return "arn:aws:ec2:" + s.region() + ":" + s.accountId() + ":volume/" + volumeId;
    }

    /** An AMI's ARN has no account, as EC2 writes it; an EC2 recovery point's ARN is its image's. */
    public static String ec2Image(String region, String imageId) {
        return "arn:aws:ec2:" + region + "::image/" + imageId;
    }

    public static String iamRole(String accountId, String path, String name) {
        return "arn:aws:iam::" + accountId + ":role" + path + name;
    }

    /** Whether text is an IAM role ARN (any account). */
    public static boolean isRoleArn(String arn) {
        Parsed p = parse(arn);
        return p != null && "iam".equals(p.service()) && p.accountId().matches("\\d{12}")
                && p.resource().matches("role/[\\w+=,.@/-]{1,512}");
    }

    /** The parts of an ARN: partition, service, region, account, resource; null when it is not one. */
    public record Parsed(String service, String region, String accountId, String resource) {
    }

    public static Parsed parse(String arn) {
        if (arn == null) {
            return null;
        }
        String[] p = arn.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !p[1].startsWith("aws")) {
            return null;
        }
        return new Parsed(p[2], p[3], p[4], p[5]);
    }
}
