package io.lifeboat.store.crypto;

import java.io.IOException;

/** A stored blob failed authentication, decompression or its id check: wrong key or damaged data. */
public final class CorruptBlobException extends IOException {
    public CorruptBlobException(String message) {
        super(message);
    }

    public CorruptBlobException(String message, Throwable cause) {
        super(message, cause);
    }
}
