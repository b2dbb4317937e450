package io.hotadd.agent.adapters.vsphere;

/**
 * Disk backings with the {@code keyId} field vSphere 6.5 added for VM encryption, which yavijava 6.0.05's
 * classes lack (the tolerant reader would skip it and the agent could not tell an encrypted disk).
 *
 * <p>Nested classes, so their simple names equal the wire type names ({@link VimTypeRegistry} maps by
 * simple name and puts them in front of yavijava's), without a top-level class in this package shadowing
 * yavijava's class of the same name. {@code keyId} is the last element of both wire types, which is where
 * the request writer puts a subclass's fields.
 */
public final class EncryptableDiskBackings {

    private EncryptableDiskBackings() {
    }

    /** vim25 {@code VirtualDiskFlatVer2BackingInfo} with {@code keyId} (API 6.5+). */
    public static class VirtualDiskFlatVer2BackingInfo extends com.vmware.vim25.VirtualDiskFlatVer2BackingInfo {

        /** The key the disk is encrypted with; absent for a disk that is not encrypted. */
        public CryptoKeyId keyId;
    }

    /** vim25 {@code VirtualDiskSeSparseBackingInfo} with {@code keyId} (API 6.5+). */
    public static class VirtualDiskSeSparseBackingInfo extends com.vmware.vim25.VirtualDiskSeSparseBackingInfo {

        /** The key the disk is encrypted with; absent for a disk that is not encrypted. */
        public CryptoKeyId keyId;
    }
}
