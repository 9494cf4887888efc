package io.lifeboat.server;

import io.lifeboat.domain.Quotas;
import java.nio.file.Path;

/**
 * Everything an operator can set. Defaults: data under ./lifeboat-data, loopback on port 4566,
 * embedded database, signatures verified, account 123456789012 (the account of AWS's examples).
 */
public record Config(Path dataDir, String host, int port, String dbUrl, String dbUser, String dbPassword,
                     boolean anyCredentials, String defaultAccountId, long maxBodyBytes,
                     Quotas quotas, Jobs jobs, Path machinesFile) {

    /**
     * How this node runs jobs: at most {@code workers} at once, each reading its volumes at most
     * {@code readBytesPerSecond} (0: as fast as it can), so backups spare the instances' disks; a
     * node that has not renewed a job's lease for {@code lease} (real time) is taken for dead and
     * its running jobs end FAILED.
     */
    public record Jobs(int workers, java.time.Duration lease, long readBytesPerSecond) {
        public static final Jobs DEFAULT = new Jobs(2, java.time.Duration.ofSeconds(60), 0);
    }

    public static Config defaults(Path dataDir) {
        return new Config(dataDir, "127.0.0.1", 4566, null, null, null, false, "123456789012", 8L * 1024 * 1024,
                Quotas.AWS, Jobs.DEFAULT, null);
    }

    public Config withJobs(Jobs j) {
        return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId,
                maxBodyBytes, quotas, j, machinesFile);
    }

    public Config withMachines(Path file) {
        return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId,
                maxBodyBytes, quotas, jobs, file);
    }

    public Config withPort(int p) {
        return new Config(dataDir, host, p, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId, maxBodyBytes, quotas, jobs, machinesFile);
    }

    public Config withHost(String h) {
        return new Config(dataDir, h, port, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId, maxBodyBytes, quotas, jobs, machinesFile);
    }

    public Config withDatabase(String url, String user, String password) {
        return new Config(dataDir, host, port, url, user, password, anyCredentials, defaultAccountId, maxBodyBytes, quotas, jobs, machinesFile);
    }

    public Config withAnyCredentials(boolean any) {
        return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, any, defaultAccountId, maxBodyBytes, quotas, jobs, machinesFile);
    }

    public Config withQuotas(Quotas q) {
        return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId, maxBodyBytes, q, jobs, machinesFile);
    }
}
