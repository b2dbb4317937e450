package main

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// proxyReconfigured compares the proxy's disks after a ReconfigVM_Task with what the guest had: removed disks
// are withdrawn (a detach-before-guest-delete violation if the guest still had the device), new ones are
// published (unless a "publish" fault hides them), moved or re-pointed ones are re-published. known holds the
// layers that existed before the call: a disk whose file was not among them was created on the proxy.
func (h *harness) proxyReconfigured(vm *simulator.VirtualMachine, known map[string]bool) {
	devices := vmDevices(vm)
	current := map[int32]*types.VirtualDisk{}
	for _, disk := range disksOf(devices) {
		current[disk.Key] = disk
	}
	carried := map[int32]*proxyDisk{}
	for key, pd := range h.proxy.disks {
		disk := current[key]
		switch {
		case disk == nil:
			h.detachFromProxy(pd)
		case diskFileName(disk) != pd.fileName || disk.ControllerKey != pd.ctrlKey || unitOf(disk) != pd.unit:
			h.unpublishDisk(pd) // an edit that moved the disk: the guest sees it go and come back
			delete(h.proxy.disks, key)
			carried[key] = pd
		}
	}
	if err := h.syncHosts(devices); err != nil {
		logf("proxy SCSI hosts: %v", err)
	}
	for key, disk := range current {
		if h.proxy.disks[key] != nil {
			continue
		}
		pd := h.newProxyDisk(disk, known)
		if old := carried[key]; old != nil {
			pd.atDesignation, pd.created = old.atDesignation, old.created
		}
		if h.faults.take(publishMethod, h.proxy.vm.Value) != nil {
			pd.hidden = true
			continue
		}
		h.publishDisk(pd)
	}
}

// detachFromProxy handles a disk removed from the proxy in vCenter.
func (h *harness) detachFromProxy(pd *proxyDisk) {
	stillThere, seen := pd.dev != nil, ""
	if stillThere && h.guest.qemu != nil && pd.dev.qemuID != "" {
		stillThere, seen = h.guest.qemu.guestHas(pd.dev, pd.uuid) // qemu: only the guest knows
		pd.deletedByGuest = !stillThere
	}
	if stillThere {
		h.recordViolation(violation{Kind: "detach-before-guest-delete", VM: entityName(h.proxy.vm), Disk: pd.uuid,
			Device: pd.dev.path, Detail: fmt.Sprintf("%s was detached while the guest still had %s %s", pd.fileName,
				pd.dev.path, seen)})
	}
	h.unpublishDisk(pd)
	delete(h.proxy.disks, pd.key)
}
