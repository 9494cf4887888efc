package io.lifeboat.domain;

/** An account in a region: the namespace of every regional resource. */
public record Scope(String accountId, String region) {
    public String key() {
        return accountId + ":" + region;
    }

    /** The scope a {@link #key()} names. */
    public static Scope parse(String key) {
        int at = key.indexOf(':');
        return new Scope(key.substring(0, at), key.substring(at + 1));
    }
}
