package io.hotadd.agent.port;

import java.util.Optional;

/** Facts about the machine the agent runs on (the proxy VM), read from inside it. */
public interface LocalSystem {

    /** The SMBIOS system UUID (Linux: /sys/class/dmi/id/product_uuid), which vSphere shows as config.uuid. */
    Optional<String> biosUuid();
}
