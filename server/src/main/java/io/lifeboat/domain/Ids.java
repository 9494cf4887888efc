package io.lifeboat.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/** Identifier shapes AWS uses, from one secure random source. */
public final class Ids {
    private final SecureRandom random = new SecureRandom();

    public String uuid() {
        return UUID.randomUUID().toString();
    }

    /** A backup plan version id: base64 of a UUID string, 48 characters, as AWS sends it. */
    public String versionId() {
        return Base64.getEncoder().encodeToString(uuid().getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code n} random upper-case letters and digits, as in IAM unique ids (AROA...). */
    public String upperAlnum(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** An EC2-style resource id: the prefix, a dash and 17 lower-case hex digits (i-0abc..., vol-...). */
    public String ec2(String prefix) {
        StringBuilder sb = new StringBuilder(prefix).append('-');
        for (byte b : bytes(9)) {
            sb.append(String.format("%02x", b));
        }
        return sb.substring(0, prefix.length() + 1 + 17);
    }

    /**
     * An EC2-style id derived from {@code seed}: the same seed gives the same id on every node and
     * after every restart (the default network, declared machines' volumes).
     */
    public static String derivedEc2(String prefix, String seed) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8));
            return prefix + "-" + HexFormat.of().formatHex(h).substring(0, 17);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
