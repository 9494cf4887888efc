package io.lifeboat.domain;

/** An account in a region: the namespace of every regional resource. */
public record Scope(String accountId, String region) {
    public String key() {
        return accountId + ":" + region;
    }
}
