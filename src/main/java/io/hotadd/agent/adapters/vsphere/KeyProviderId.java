package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DynamicData;

/** vim25 {@code KeyProviderId} (API 6.5+): names a key provider (KMS cluster); yavijava 6.0.05 lacks it. */
public class KeyProviderId extends DynamicData {

    /** The key provider's name as configured in vCenter. */
    public String id;
}
