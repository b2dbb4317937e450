package main

import (
	"log"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// syncVM brings the harness's view of a VM in line with its configuration after anything changed it:
// every disk gets a content layer, a capacity in bytes and a VMware-form UUID; CBT trackers start when
// changeTrackingEnabled turns on (with a fresh id) and are forgotten when it turns off; trackers of removed
// disks go. Needs h.mu.
func (h *harness) syncVM(vm *simulator.VirtualMachine) {
	cbtOn := cbtEnabled(vm)
	present := map[int32]bool{}
	var failures []error
	simulator.Map.WithLock(vm, func() {
		for _, disk := range disksOf(vm.Config.Hardware.Device) {
			present[disk.Key] = true
			if err := h.syncDisk(vm, disk, cbtOn); err != nil {
				failures = append(failures, err)
			}
		}
		setDevices(vm, vm.Config.Hardware.Device)
	})
	for _, err := range failures {
		log.Printf("%s: %v", vm.Name, err)
	}
	for ref := range h.trackers {
		if ref.vm == vm.Self && !present[ref.key] {
			delete(h.trackers, ref)
		}
	}
}

// syncDisk fixes one disk in place; it runs under the VM's lock.
func (h *harness) syncDisk(vm *simulator.VirtualMachine, disk *types.VirtualDisk, cbtOn bool) error {
	b := flatBacking(disk)
	if b == nil {
		return nil
	}
	l, err := h.layerFor(b.FileName, diskCapacity(disk), vm.Self)
	if err != nil {
		return err
	}
	if diskCapacity(disk) == 0 { // an existing disk attached by path: its size is the file's
		disk.CapacityInBytes = l.capacity
	}
	disk.CapacityInBytes = diskCapacity(disk)
	disk.CapacityInKB = disk.CapacityInBytes / 1024
	if b.Uuid == "" {
		b.Uuid = l.uuid
	}
	if l.isDelta() && b.Parent == nil { // attached by path: show the chain, as vCenter does
		b.DeltaDiskFormat = string(types.VirtualDiskDeltaDiskFormatRedoLogFormat)
		b.Parent = backingChain(l.parent)
	}
	ref := diskRef{vm.Self, disk.Key}
	t := h.trackers[ref]
	switch {
	case cbtOn && t == nil:
		t = newTracker()
		h.trackers[ref] = t
		b.ChangeId = t.changeID(t.seq)
	case !cbtOn && t != nil:
		delete(h.trackers, ref)
		b.ChangeId = ""
	}
	return nil
}

// backingChain describes a layer and the layers below it as parent backings.
func backingChain(l *layer) *types.VirtualDiskFlatVer2BackingInfo {
	if l == nil {
		return nil
	}
	b := &types.VirtualDiskFlatVer2BackingInfo{
		VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: l.path, Datastore: datastoreRef(l.path)},
		DiskMode:                     string(types.VirtualDiskModePersistent),
		ThinProvisioned:              types.NewBool(true),
		Uuid:                         l.uuid,
		Parent:                       backingChain(l.parent),
	}
	if l.isDelta() {
		b.DeltaDiskFormat = string(types.VirtualDiskDeltaDiskFormatRedoLogFormat)
	}
	return b
}

// currentLayer is the layer a VM disk reads and writes now.
func (h *harness) currentLayer(disk *types.VirtualDisk) *layer {
	return h.layers[diskFileName(disk)]
}

// adoptInventory gives the disks vcsim's model created (and any VM present at start) their content.
func (h *harness) adoptInventory() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, vm := range allVMs() {
		h.syncVM(vm)
	}
}

// forgetGoneVMs drops the state of VMs vcsim no longer has (Destroy_Task, UnregisterVM, a destroyed folder).
func (h *harness) forgetGoneVMs() {
	for ref := range h.trackers {
		if vmByRef(ref.vm) == nil {
			delete(h.trackers, ref)
		}
	}
	for ref, rec := range h.snaps {
		if vmByRef(rec.vm) == nil {
			delete(h.snaps, ref)
		}
	}
	for ref := range h.clones {
		if vmByRef(ref) == nil {
			delete(h.clones, ref)
		}
	}
	h.disabled.forgetGoneVMs()
	if h.proxy != nil && vmByRef(h.proxy.vm) == nil {
		h.withdrawProxy()
	}
	h.collectGarbage()
}
