package io.lifeboat.edge.sigv4;

/** A secret access key and the account it acts for. {@link #toString()} never shows the secret. */
public record AccessKey(String accessKeyId, String secretAccessKey, String accountId) {
    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + " account " + accountId + "]";
    }
}
