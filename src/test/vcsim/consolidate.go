package main

import (
	"fmt"
	"log"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// consolidateSnapshot folds the delta created when the snapshot was taken into the snapshot's layer, as ESXi
// does on RemoveSnapshot_Task: O(changed bytes). Whatever read or wrote through the delta (the VM disk, a
// later snapshot, clones of a later snapshot) now uses the snapshot's layer, whose view is the delta's
// former view. Needs h.mu.
func (h *harness) consolidateSnapshot(rec *snapshotRecord) error {
	for key, sd := range rec.disks {
		delta := sd.child
		if delta == nil || delta.parent != sd.layer {
			log.Printf("snapshot %s disk %d: delta chain changed outside the harness; not consolidated", rec.ref.Value, key)
			continue
		}
		if err := h.foldDelta(delta); err != nil {
			return err
		}
	}
	delete(h.snaps, rec.ref)
	if vm := vmByRef(rec.vm); vm != nil {
		refreshLayout(vm)
	}
	return nil
}

// foldDelta merges delta into its parent and removes it everywhere.
func (h *harness) foldDelta(delta *layer) error {
	parent := delta.parent
	if err := mergeInto(delta); err != nil {
		return err
	}
	h.replaceLayer(delta, parent)
	h.dropLayer(delta)
	return nil
}

// replaceLayer re-points every user of old at its parent new: child layers, snapshot records, the proxy's
// disks, and the backings (with their parent chains) of every VM and every snapshot configuration.
func (h *harness) replaceLayer(old, new *layer) {
	for _, l := range h.layers {
		if l.parent == old {
			l.parent = new
		}
	}
	for _, rec := range h.snaps {
		for _, sd := range rec.disks {
			if sd.layer == old {
				sd.layer = new
			}
		}
		if snap, ok := simulator.Map.Get(rec.ref).(*simulator.VirtualMachineSnapshot); ok {
			simulator.Map.WithLock(snap, func() { collapseDevices(snap.Config.Hardware.Device, old.path) })
		}
	}
	if h.proxy != nil {
		h.proxy.replaceLayer(old, new)
	}
	for _, vm := range allVMs() {
		simulator.Map.WithLock(vm, func() {
			if collapseDevices(vm.Config.Hardware.Device, old.path) {
				setDevices(vm, vm.Config.Hardware.Device)
			}
		})
	}
}

// collapseDevices removes the file at path from every disk backing chain; it tells whether anything changed.
func collapseDevices(devices []types.BaseVirtualDevice, path string) bool {
	changed := false
	for _, disk := range disksOf(devices) {
		b := flatBacking(disk)
		if b == nil || !chainHasFile(b, path) {
			continue
		}
		disk.Backing = collapseBacking(b, path)
		changed = true
	}
	return changed
}

func chainHasFile(b *types.VirtualDiskFlatVer2BackingInfo, path string) bool {
	for ; b != nil; b = b.Parent {
		if b.FileName == path {
			return true
		}
	}
	return false
}

// collapseBacking replaces the node for path by its parent. When that node is the top, the disk keeps its
// own identity (UUID, mode, changeId) and takes the parent's file and chain.
func collapseBacking(b *types.VirtualDiskFlatVer2BackingInfo, path string) *types.VirtualDiskFlatVer2BackingInfo {
	if b == nil {
		return nil
	}
	if b.FileName != path {
		b.Parent = collapseBacking(b.Parent, path)
		return b
	}
	if b.Parent == nil {
		return b
	}
	top := *b
	top.FileName = b.Parent.FileName
	top.Datastore = b.Parent.Datastore
	top.DeltaDiskFormat = b.Parent.DeltaDiskFormat
	top.Parent = b.Parent.Parent
	return &top
}

// consolidateVMDisks implements ConsolidateVMDisks_Task: folds every delta under a VM disk that no snapshot
// and no clone needs any more. The harness removes deltas with their snapshot, so this normally finds
// nothing; it exists for disks left in a chain by operations vcsim does not model.
func (h *harness) consolidateVMDisks(vm *simulator.VirtualMachine) error {
	for _, disk := range disksOf(vmDevices(vm)) {
		for top := h.currentLayer(disk); top != nil && top.isDelta(); top = h.currentLayer(disk) {
			if !h.foldable(top) {
				break
			}
			if err := h.foldDelta(top); err != nil {
				return fmt.Errorf("consolidating %s: %v", top.path, err)
			}
			disk = h.findDisk(vm, disk.Key)
			if disk == nil {
				break
			}
		}
	}
	refreshLayout(vm)
	return nil
}

// foldable: the delta's parent is nobody else's content (no snapshot, no other child).
func (h *harness) foldable(delta *layer) bool {
	parent := delta.parent
	for _, rec := range h.snaps {
		for _, sd := range rec.disks {
			if sd.layer == parent {
				return false
			}
		}
	}
	return len(h.children(parent)) == 1
}

func (h *harness) findDisk(vm *simulator.VirtualMachine, key int32) *types.VirtualDisk {
	for _, disk := range disksOf(vmDevices(vm)) {
		if disk.Key == key {
			return disk
		}
	}
	return nil
}
