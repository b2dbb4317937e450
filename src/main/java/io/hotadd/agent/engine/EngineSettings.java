package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmSelector;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The engine's configuration as a plain record (the boot layer maps the typed config onto it), so the
 * engine is built with {@code new} in tests.
 *
 * @param proxyVm            the proxy VM, when it must not be found by its BIOS UUID
 * @param spareControllers   PVSCSI controllers kept at buses 1..N besides the OS disk's bus 0
 * @param unitsPerController disks per controller (15; up to 64 on PVSCSI with virtual hardware 14+)
 * @param methodsToDisable   vSphere methods blocked on the target while its disks are read (Storage vMotion)
 * @param methodSourceId     the source id given to DisableMethods, so a sweep finds the agent's own blocks
 * @param parallelDisks      disks of one VM read at the same time
 * @param locateDeadline     how long a hot-added disk may take to appear in the guest
 */
public record EngineSettings(Optional<VmSelector> proxyVm, int spareControllers, int unitsPerController,
                             long dummyDiskBytes, List<String> methodsToDisable, String methodSourceId,
                             int parallelDisks, int readBufferBytes, int readBuffers, Duration locateDeadline,
                             Duration releaseDeadline, Duration slotWait, String agentName) {

    public EngineSettings {
        methodsToDisable = List.copyOf(methodsToDisable);
        require(spareControllers >= 0 && spareControllers <= 3, "spare controllers must be 0..3 (SCSI buses 1..3)",
                spareControllers);
        require(parallelDisks >= 1, "parallel disks must be at least 1", parallelDisks);
        require(readBufferBytes >= (1 << 20) && readBufferBytes <= (4 << 20) && Integer.bitCount(readBufferBytes) == 1,
                "read buffer must be a power of two between 1 MiB and 4 MiB", readBufferBytes);
        require(readBuffers >= 2, "at least 2 read buffers are needed to overlap reading and storing", readBuffers);
        require(dummyDiskBytes >= 1024 && dummyDiskBytes % 1024 == 0, "dummy disk size must be whole KiB",
                dummyDiskBytes);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(Optional.empty(), 3, 15, 1 << 20,
                List.of("RelocateVM_Task", "RelocateVM", "PromoteDisks_Task"), "io.hotadd.agent", 2, 4 << 20, 8,
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(30), "hotadd-agent");
    }

    public EngineSettings withProxyVm(VmSelector proxy) {
        return new EngineSettings(Optional.of(proxy), spareControllers, unitsPerController, dummyDiskBytes,
                methodsToDisable, methodSourceId, parallelDisks, readBufferBytes, readBuffers, locateDeadline,
                releaseDeadline, slotWait, agentName);
    }

    public EngineSettings withReadBuffers(int bufferBytes, int buffers) {
        return new EngineSettings(proxyVm, spareControllers, unitsPerController, dummyDiskBytes, methodsToDisable,
                methodSourceId, parallelDisks, bufferBytes, buffers, locateDeadline, releaseDeadline, slotWait,
                agentName);
    }

    public EngineSettings withDeadlines(Duration locate, Duration release, Duration slots) {
        return new EngineSettings(proxyVm, spareControllers, unitsPerController, dummyDiskBytes, methodsToDisable,
                methodSourceId, parallelDisks, readBufferBytes, readBuffers, locate, release, slots, agentName);
    }

    private static void require(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + "; got " + value);
        }
    }
}
