package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DynamicData;

/**
 * vim25 {@code CryptoKeyId} (API 6.5+), the value of {@code config.keyId} of an encrypted VM and of the
 * {@code keyId} of its disk backings; yavijava 6.0.05 does not model it.
 */
public class CryptoKeyId extends DynamicData {

    /** The key's id within its key provider. */
    public String keyId;

    /** The key management server cluster that holds the key; absent for host-local keys. */
    public KeyProviderId providerId;
}
