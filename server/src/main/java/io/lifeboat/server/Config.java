package io.lifeboat.server;

import io.lifeboat.domain.Quotas;
import java.nio.file.Path;

/**
 * Everything an operator can set. Defaults: data under ./lifeboat-data, loopback on port 4566,
 * embedded database, signatures verified, account 123456789012 (the account of AWS's examples).
 */
public record Config(Path dataDir, String host, int port, String dbUrl, String dbUser, String dbPassword,
                     boolean anyCredentials, String defaultAccountId, long maxBodyBytes,
                     Quotas quotas) {

    public static Config defaults(Path dataDir) {
        return new Config(dataDir, "127.0.0.1", 4566, null, null, null, false, "123456789012", 8L * 1024 * 1024,
                Quotas.AWS);
    }

    public Config withPort(int p) {
        return new Config(dataDir, host, p, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId, maxBodyBytes, quotas);
    }

    public Config withHost(String h) {
        return new Config(dataDir, h, port, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId, maxBodyBytes, quotas);
    }

    public Config withDatabase(String url, String user, String password) {
        return new Config(dataDir, host, port, url, user, password, anyCredentials, defaultAccountId, maxBodyBytes, quotas);
    }

    public Config withAnyCredentials(boolean any) {
        return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, any, defaultAccountId, maxBodyBytes, quotas);
    }

    public Config withQuotas(Quotas q) {
        return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, anyCredentials, defaultAccountId, maxBodyBytes, q);
    }
}
