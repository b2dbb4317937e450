package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DynamicData;

/** vim25 {@code CryptoSpec} (API 6.5+), the base of a VM's encryption change; yavijava 6.0.05 lacks it. */
public class CryptoSpec extends DynamicData {
}
