package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.VirtualController;

/**
 * vim25 {@code VirtualNVMEController} (API 6.5+), which yavijava 6.0.05 lacks. Without it an NVMe controller
 * reads as a bare {@code VirtualDevice}, and the disks on it would point at a controller the agent cannot
 * see; HotAdd cannot read such disks, so pre-flight has to recognise them.
 */
public class VirtualNVMEController extends VirtualController {

    /** Bus sharing (API 8.0+): {@code noSharing} or {@code physicalSharing}; absent before 8.0. */
    public String sharedBus;
}
