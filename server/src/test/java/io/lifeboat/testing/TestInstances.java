package io.lifeboat.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupJobState;
import software.amazon.awssdk.services.backup.model.DescribeBackupJobResponse;
import software.amazon.awssdk.services.backup.model.DescribeRestoreJobResponse;
import software.amazon.awssdk.services.backup.model.RestoreJobStatus;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Instances with known bytes, and waiting for the jobs that copy them. */
public final class TestInstances {
    public static final String ACCOUNT = "123456789012";
    private static final int MIB = 1 << 20;

    private TestInstances() {
    }

    /** A running instance on the blank image with a root volume of {@code gib} GiB, tagged. */
    public static Instance launch(TestServer server, int gib, String... tagPairs) {
        Tag[] tags = new Tag[tagPairs.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = Tag.builder().key(tagPairs[2 * i]).value(tagPairs[2 * i + 1]).build();
        }
        return server.ec2().runInstances(r -> r.imageId("ami-0000000000000b1a0").minCount(1).maxCount(1)
                .instanceType(InstanceType.T3_MICRO)
                .blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.volumeSize(gib)))
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags))).instances().get(0);
    }

    public static String arn(Instance i) {
        return "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/" + i.instanceId();
    }

    /** The file behind an instance's root volume. */
    public static Path rootVolume(TestServer server, String instanceId) {
        String volumeId = server.ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0)
                .instances().get(0).blockDeviceMappings().get(0).ebs().volumeId();
        return server.dataDir().resolve("volumes").resolve(ACCOUNT).resolve("us-east-1").resolve(volumeId + ".img");
    }

    /** Writes {@code mib} MiB that neither compress nor repeat, at {@code offset}. */
    public static void fill(Path file, long offset, int mib, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[MIB];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            for (int m = 0; m < mib; m++) {
                ByteBuffer b = ByteBuffer.wrap(block);
                while (b.remaining() >= 8) {
                    b.putLong(random.nextLong());
                }
                f.write(block);
            }
        }
    }

    public static String sha256(Path file) throws Exception {
        return sha256(file, Long.MAX_VALUE);
    }

    /** The SHA-256 of a file's first {@code limit} bytes. */
    public static String sha256(Path file, long limit) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[MIB];
            long left = limit;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Polls a backup job until it is in one of {@code states}; fails after 60 s. */
    public static DescribeBackupJobResponse awaitBackup(BackupClient backup, String jobId, BackupJobState... states)
            throws InterruptedException {
        List<BackupJobState> wanted = List.of(states);
        DescribeBackupJobResponse last = null;
        for (int i = 0; i < 1200; i++) {
            last = backup.describeBackupJob(r -> r.backupJobId(jobId));
            if (wanted.contains(last.state())) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("backup job " + jobId + " stayed " + last.state() + ": " + last.statusMessage());
    }

    public static DescribeRestoreJobResponse awaitRestore(BackupClient backup, String jobId)
            throws InterruptedException {
        DescribeRestoreJobResponse last = null;
        for (int i = 0; i < 1200; i++) {
            last = backup.describeRestoreJob(r -> r.restoreJobId(jobId));
            if (last.status() != RestoreJobStatus.PENDING && last.status() != RestoreJobStatus.RUNNING) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("restore job " + jobId + " stayed " + last.status());
    }

    public static final String TRUST_BACKUP = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"backup.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    /** A role backup.amazonaws.com may assume, with the given managed policies attached; returns its ARN. */
    public static String role(TestServer server, String name, String trust, String... policies) {
        String arn = server.iam().createRole(r -> r.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
        for (String p : policies) {
            server.iam().attachRolePolicy(r -> r.roleName(name).policyArn("arn:aws:iam::aws:policy/service-role/" + p));
        }
        return arn;
    }

    /** The tutorial's role: trusted by Backup, with the backup and restore policies. */
    public static String backupRole(TestServer server) {
        return role(server, "AWSBackupRole", TRUST_BACKUP, "AWSBackupServiceRolePolicyForBackup",
                "AWSBackupServiceRolePolicyForRestores");
    }
}
