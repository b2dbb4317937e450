package io.hotadd.agent.engine;

import java.util.List;
import java.util.Optional;

/**
 * A finished restore.
 *
 * @param vm           moref of the VM written (the new one, or the existing target); empty for an image
 * @param vmName       its name, or the image's path
 * @param bytesWritten bytes of data handed to the disks (or the image), zeros skipped included
 * @param warnings     what went less than perfectly (e.g. the VM did not power on)
 */
public record RestoreResult(Optional<String> vm, String vmName, long bytesWritten, List<String> warnings) {
    public RestoreResult {
        warnings = List.copyOf(warnings);
    }
}
