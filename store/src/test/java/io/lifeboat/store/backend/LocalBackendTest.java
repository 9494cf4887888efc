package io.lifeboat.store.backend;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest extends BackendContract {
    @TempDir
    Path dir;

    @Override
    protected Backend backend() {
        return new LocalBackend(dir);
    }
}
