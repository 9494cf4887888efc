package io.lifeboat.store.maintenance;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.backend.LocalBackend;
import java.nio.file.Path;

class LocalMaintenanceTest extends MaintenanceContract {
    @Override
    protected Backend newBackend(Path dir) {
        return new LocalBackend(dir);
    }
}
