package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.port.LocalSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link LocalSystem} from sysfs; the root is injected so tests point it at a folder. */
public final class SysfsLocalSystem implements LocalSystem {
    private final Path productUuid;

    public SysfsLocalSystem(Path sysfsRoot) {
        this.productUuid = sysfsRoot.resolve("class/dmi/id/product_uuid");
    }

    /** Root-only on most distributions (0400); the agent's unit grants read access to this one file. */
    @Override
    public Optional<String> biosUuid() {
        try {
            String uuid = Files.readString(productUuid).trim();
            return uuid.isEmpty() ? Optional.empty() : Optional.of(uuid);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
