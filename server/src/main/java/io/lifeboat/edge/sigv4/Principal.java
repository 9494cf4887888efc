package io.lifeboat.edge.sigv4;

/** Who sent a request and where it was aimed: the account behind the key and the credential scope. */
public record Principal(String accountId, String accessKeyId, String region, String service) {
}
