package io.hotadd.agent.port;

import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Provisioning;
import java.util.List;
import java.util.Optional;

/**
 * What the engine needs to know of a captured VM configuration, read from it by the adapter that captured it:
 * enough to plan a restore (which disks, where they sit, how they were provisioned, which networks the NICs
 * use, whether the VM is encrypted or has a vTPM) without understanding vCenter's own format. The full
 * configuration travels beside it, verbatim ({@link CapturedConfig#vimConfigXml()}).
 *
 * <p>Holds nothing secret: the encryption bundle and vApp property values stay in the verbatim XML; only
 * their presence and the property ids are here, so this record may be logged and shown.
 *
 * @param hardwareVersion e.g. {@code vmx-19}
 * @param firmware        {@code bios} or {@code efi}
 * @param vmPathName      the source's configuration file, e.g. {@code [ds1] db01/db01.vmx}
 * @param nvramPath       the source's NVRAM file (datastore path), where the capture read it from
 * @param keyId           the VM's encryption key ({@code config.keyId}), absent for a VM that is not encrypted
 * @param vAppPropertyIds ids of the vApp properties (their values may be secrets and stay in the XML)
 */
public record VmConfigSummary(String name, String guestId, String hardwareVersion, String firmware, int numCpu,
                              int coresPerSocket, long memoryMb, String vmPathName, String nvramPath,
                              boolean changeTracking, List<Controller> controllers, List<Disk> disks, List<Nic> nics,
                              Optional<KeyId> keyId, boolean hasEncryptionBundle, boolean hasVtpm,
                              List<String> vAppPropertyIds) {

    public VmConfigSummary {
        controllers = List.copyOf(controllers);
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        vAppPropertyIds = List.copyOf(vAppPropertyIds);
    }

    /** Whether restoring this VM needs its key provider (VM encryption, which a vTPM implies). */
    public boolean encrypted() {
        return keyId.isPresent() || hasVtpm;
    }

    public Optional<Disk> disk(int key) {
        return disks.stream().filter(d -> d.key() == key).findFirst();
    }

    public Optional<Controller> controller(int key) {
        return controllers.stream().filter(c -> c.key() == key).findFirst();
    }

    /** A disk controller: device key, kind and bus number. */
    public record Controller(int key, ControllerType type, int busNumber) {
    }

    /**
     * One virtual disk and where it sits.
     *
     * @param fileName the source's backing file (at the snapshot: the frozen base disk's name or a delta's)
     */
    public record Disk(int key, String label, long capacityBytes, Provisioning provisioning, DiskMode mode,
                       DiskBacking backing, int controllerKey, int unitNumber, String fileName, boolean encrypted) {
    }

    /**
     * One network adapter.
     *
     * @param adapterType the vSphere device type, e.g. {@code VirtualVmxnet3}
     * @param network     the name of the network or distributed port group it is connected to
     * @param macAddress  the address it had (a restored VM gets a new one unless told otherwise)
     */
    public record Nic(int key, String label, String adapterType, String network, String macAddress,
                      boolean startConnected) {
    }

    /** A vSphere {@code CryptoKeyId}: the key's id and the key provider (KMS cluster) that holds it. */
    public record KeyId(String keyId, String providerId) {
    }
}
