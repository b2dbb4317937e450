package io.hotadd.agent.adapters.vsphere;

/**
 * VM configuration types with the fields vSphere 6.5 added that a restore needs and yavijava 6.0.05 lacks:
 * the VM's encryption key in the configuration it reads, the encryption request in the one it sends, and
 * UEFI Secure Boot. Nested, so their simple names equal the wire names ({@link VimTypeRegistry} puts them in
 * front of yavijava's, and also reads untyped values of yavijava's declared type as these) without a
 * top-level class shadowing yavijava's class of the same name.
 */
public final class VmConfigTypes {

    private VmConfigTypes() {
    }

    /** vim25 {@code VirtualMachineConfigInfo} with {@code keyId} (API 6.5+). */
    public static class VirtualMachineConfigInfo extends com.vmware.vim25.VirtualMachineConfigInfo {

        /** The key the VM home (configuration, NVRAM) is encrypted with; absent for a VM that is not encrypted. */
        public CryptoKeyId keyId;
    }

    /**
     * vim25 {@code VirtualMachineConfigSpec} with {@code crypto} (API 6.5+), which follows
     * {@code messageBusTunnelEnabled}, the last field yavijava has, in the schema.
     */
    public static class VirtualMachineConfigSpec extends com.vmware.vim25.VirtualMachineConfigSpec {

        /** How to encrypt the VM: a {@link CryptoSpecEncrypt} with the source's key on restore. */
        public CryptoSpec crypto;
    }

    /** vim25 {@code VirtualMachineBootOptions} with {@code efiSecureBootEnabled} (API 6.5+). */
    public static class VirtualMachineBootOptions extends com.vmware.vim25.VirtualMachineBootOptions {

        @WireAfter("enterBIOSSetup")
        public Boolean efiSecureBootEnabled;
    }
}
