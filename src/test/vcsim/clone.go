package main

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// CloneVM_Task in vcsim builds the clone from the source VM's own device objects and rewrites their backings
// (the source disk ends up pointing at the clone's vmdk), and it ignores diskMoveType and spec.snapshot. The
// harness hands vcsim deep copies for the duration of the call, puts the originals back, and then gives the
// clone's disks their real backing and content.

// lendDevices swaps deep copies in for the source VM's devices and returns the function that restores them.
func lendDevices(vm *simulator.VirtualMachine) (restore func()) {
	var originals []types.BaseVirtualDevice
	simulator.Map.WithLock(vm, func() {
		originals = vm.Config.Hardware.Device
		vm.Config.Hardware.Device = deepCopy(originals).([]types.BaseVirtualDevice)
	})
	return func() {
		simulator.Map.WithLock(vm, func() { vm.Config.Hardware.Device = originals })
	}
}

// cloneSource is what a clone copies: the snapshot's disks when spec.snapshot is set, else the VM's own.
type cloneSource struct {
	disks  map[int32]*types.VirtualDisk
	layers map[int32]*layer
	order  []int32
}

func (h *harness) cloneSourceOf(vm *simulator.VirtualMachine, snapshot *moref) (*cloneSource, error) {
	src := &cloneSource{disks: map[int32]*types.VirtualDisk{}, layers: map[int32]*layer{}}
	devices := vmDevices(vm)
	if snapshot != nil {
		snap, ok := simulator.Map.Get(*snapshot).(*simulator.VirtualMachineSnapshot)
		rec := h.snaps[*snapshot]
		if !ok || rec == nil || rec.vm != vm.Self {
			return nil, fmt.Errorf("snapshot %s of %s not found", snapshot.Value, vm.Name)
		}
		simulator.Map.WithLock(snap, func() { devices = append(devices[:0:0], snap.Config.Hardware.Device...) })
		for key, sd := range rec.disks {
			src.layers[key] = sd.layer
		}
	}
	for _, disk := range disksOf(devices) {
		src.disks[disk.Key] = disk
		src.order = append(src.order, disk.Key)
		if snapshot == nil {
			src.layers[disk.Key] = h.currentLayer(disk)
		}
	}
	return src, nil
}

// onCloneCreated gives each clone disk its content: a linked clone's disk becomes a delta over the source
// layer (nothing copied); a full clone's disk gets a copy of the source content. Needs h.mu.
func (h *harness) onCloneCreated(clone *simulator.VirtualMachine, req *types.CloneVM_Task, src *cloneSource) error {
	linked := req.Spec.Snapshot != nil &&
		req.Spec.Location.DiskMoveType == string(types.VirtualMachineRelocateDiskMoveOptionsCreateNewChildDiskBacking)
	h.clones[clone.Self] = &cloneRecord{source: req.This, snapshot: req.Spec.Snapshot, linked: linked}
	cloneDisks := disksOf(vmDevices(clone))
	for i, disk := range cloneDisks {
		key := matchSourceDisk(disk, i, src)
		if key == 0 || src.layers[key] == nil {
			continue
		}
		if err := h.giveCloneDisk(clone, disk, src.disks[key], src.layers[key], linked); err != nil {
			return err
		}
	}
	if req.Spec.Config != nil && req.Spec.Config.Annotation != "" {
		// vCenter applies the clone spec's annotation (vcsim copies only extraConfig and instanceUuid)
		simulator.Map.WithLock(clone, func() { clone.Config.Annotation = req.Spec.Config.Annotation })
	}
	h.syncVM(clone)
	refreshLayout(clone)
	return nil
}

// matchSourceDisk pairs a clone disk with its source disk: by device key (vcsim keeps keys), else by position.
func matchSourceDisk(disk *types.VirtualDisk, index int, src *cloneSource) int32 {
	if src.disks[disk.Key] != nil {
		return disk.Key
	}
	if index < len(src.order) {
		return src.order[index]
	}
	return 0
}

func (h *harness) giveCloneDisk(clone *simulator.VirtualMachine, disk, srcDisk *types.VirtualDisk, srcLayer *layer, linked bool) error {
	b := flatBacking(disk)
	vmdk, err := datastoreHostPath(b.FileName)
	if err != nil {
		return err
	}
	uuid := newDiskUUID()
	if old := h.layers[b.FileName]; old != nil { // vcsim created it empty; replace it
		delete(h.layers, b.FileName)
		_ = old.file.Close()
	}
	if linked {
		_, err = h.newDeltaAt(b.FileName, vmdk, srcLayer, uuid, clone.Self)
	} else {
		err = h.fullCopy(b.FileName, vmdk, srcLayer, uuid, clone.Self)
	}
	if err != nil {
		return fmt.Errorf("clone disk %s: %v", b.FileName, err)
	}
	simulator.Map.WithLock(clone, func() {
		b.Uuid = uuid
		b.ChangeId = ""
		b.Parent = nil
		b.DeltaDiskFormat = ""
		if linked {
			b.Parent = deepCopy(flatBacking(srcDisk)).(*types.VirtualDiskFlatVer2BackingInfo)
			b.DeltaDiskFormat = string(types.VirtualDiskDeltaDiskFormatRedoLogFormat)
		}
		disk.CapacityInBytes = srcLayer.capacity
		disk.CapacityInKB = srcLayer.capacity / 1024
	})
	return nil
}

// fullCopy writes the source view into the clone's content file and registers it as a base layer.
func (h *harness) fullCopy(dsPath, vmdk string, src *layer, uuid string, owner moref) error {
	if err := materialize(src, contentFile(vmdk)); err != nil {
		return err
	}
	f, err := openContent(contentFile(vmdk), src.capacity)
	if err != nil {
		return err
	}
	h.layers[dsPath] = &layer{path: dsPath, hostPath: f.Name(), file: f, capacity: src.capacity, uuid: uuid, owner: owner}
	return nil
}
