package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DynamicData;

/**
 * vim25 {@code DisabledMethodRequest}, the element type of
 * {@code AuthorizationManager.DisableMethods(entity[], method[], sourceId)}; yavijava 6.0.05 does not model it.
 * Public fields in wire order, like yavijava's own data types.
 */
public class DisabledMethodRequest extends DynamicData {

    /** The method to disable, by its wire name, e.g. {@code RelocateVM_Task}. */
    public String method;

    /** Optional id of a localized message vCenter shows as the reason. */
    public String reasonId;

    public DisabledMethodRequest() {
    }

    public DisabledMethodRequest(String method) {
        this.method = method;
    }
}
