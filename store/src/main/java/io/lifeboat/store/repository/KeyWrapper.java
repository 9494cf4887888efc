package io.lifeboat.store.repository;

import java.io.IOException;

/**
 * Wraps and unwraps a repository's key set; the caller decides how (the server plugs in the
 * vault's KMS key, the operator tool the server master key). Unwrapping with the wrong wrapper must
 * fail, not return other bytes.
 */
public interface KeyWrapper {
    byte[] wrap(byte[] plaintext) throws IOException;

    byte[] unwrap(byte[] wrapped) throws IOException;
}
