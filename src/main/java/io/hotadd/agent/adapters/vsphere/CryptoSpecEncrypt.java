package io.hotadd.agent.adapters.vsphere;

/**
 * vim25 {@code CryptoSpecEncrypt} (API 6.5+): encrypt the VM with this key. A restore gives the source VM's
 * {@code keyId}, so the restored VM's NVRAM and {@code encryption.bundle} open with the same key (VDDK's
 * "Restoring With vTPM"); yavijava 6.0.05 lacks the type.
 */
public class CryptoSpecEncrypt extends CryptoSpec {

    public CryptoKeyId cryptoKeyId;
}
