package main

import (
	"fmt"
	"sort"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// snapshotRecord is the harness's side of a vcsim snapshot: which frozen layer holds each disk's
// snapshot-time content, which delta the VM moved onto, and the CBT position at that moment.
type snapshotRecord struct {
	ref, vm moref
	order   int64 // creation order, to consolidate newest first
	disks   map[int32]*snapDisk
}

type snapDisk struct {
	layer    *layer   // frozen content at snapshot time
	child    *layer   // the delta created when the snapshot was taken
	tracker  *tracker // nil when CBT was off
	seq      int64
	capacity int64
}

func (sd *snapDisk) changeID() string {
	if sd.tracker == nil {
		return ""
	}
	return sd.tracker.changeID(sd.seq)
}

// onSnapshotCreated runs after vcsim's CreateSnapshot_Task succeeded: it replaces vcsim's shallow copy of the
// configuration by a deep one (with each disk's changeId when CBT is on), freezes each disk's layer and moves
// the VM disk onto a new delta. Needs h.mu.
func (h *harness) onSnapshotCreated(vm *simulator.VirtualMachine, snapRef moref) error {
	snap, ok := simulator.Map.Get(snapRef).(*simulator.VirtualMachineSnapshot)
	if !ok {
		return fmt.Errorf("snapshot %s not found after CreateSnapshot_Task", snapRef.Value)
	}
	h.snapCount++
	rec := &snapshotRecord{ref: snapRef, vm: vm.Self, order: h.snapCount, disks: map[int32]*snapDisk{}}
	var frozen types.VirtualMachineConfigInfo
	var err error
	simulator.Map.WithLock(vm, func() {
		frozen = deepCopy(*vm.Config).(types.VirtualMachineConfigInfo)
		err = h.moveDisksOntoDeltas(vm, rec, &frozen)
	})
	if err != nil {
		return err
	}
	simulator.Map.WithLock(snap, func() { snap.Config = frozen })
	h.snaps[snapRef] = rec
	refreshLayout(vm)
	return nil
}

// moveDisksOntoDeltas runs under the VM's lock.
func (h *harness) moveDisksOntoDeltas(vm *simulator.VirtualMachine, rec *snapshotRecord, frozen *types.VirtualMachineConfigInfo) error {
	folder := vm.Config.Files.SnapshotDirectory
	devices := append([]types.BaseVirtualDevice(nil), vm.Config.Hardware.Device...)
	for i, d := range devices {
		disk, ok := d.(*types.VirtualDisk)
		if !ok || h.currentLayer(disk) == nil {
			continue
		}
		frozenLayer := h.currentLayer(disk)
		delta, err := h.newSnapshotDelta(frozenLayer, folder, vm.Self)
		if err != nil {
			return err
		}
		sd := &snapDisk{layer: frozenLayer, child: delta, capacity: diskCapacity(disk)}
		if t := h.trackers[diskRef{vm.Self, disk.Key}]; t != nil {
			sd.tracker, sd.seq = t, t.seq
		}
		rec.disks[disk.Key] = sd
		setFrozenChangeID(frozen, disk.Key, sd.changeID())
		devices[i] = diskOnDelta(disk, delta, sd.changeID())
	}
	vm.Config.Hardware.Device = devices
	setDevices(vm, devices)
	return nil
}

// diskOnDelta is a new device object (the snapshot keeps the old one) whose backing is the delta, with the
// old backing as its parent.
func diskOnDelta(disk *types.VirtualDisk, delta *layer, changeID string) *types.VirtualDisk {
	moved := deepCopy(disk).(*types.VirtualDisk)
	b := flatBacking(moved)
	b.Parent = deepCopy(flatBacking(disk)).(*types.VirtualDiskFlatVer2BackingInfo)
	b.FileName = delta.path
	b.DeltaDiskFormat = string(types.VirtualDiskDeltaDiskFormatRedoLogFormat)
	b.ChangeId = changeID
	return moved
}

func setFrozenChangeID(cfg *types.VirtualMachineConfigInfo, key int32, changeID string) {
	for _, disk := range disksOf(cfg.Hardware.Device) {
		if disk.Key == key {
			flatBacking(disk).ChangeId = changeID
		}
	}
}

// snapshotSubtree lists ref and, if withChildren, its descendants, deepest first: the order in which they
// can be consolidated one by one.
func snapshotSubtree(vm *simulator.VirtualMachine, ref moref, withChildren bool) []moref {
	var out []moref
	simulator.Map.WithLock(vm, func() {
		if vm.Snapshot == nil {
			return
		}
		var walk func(tree []types.VirtualMachineSnapshotTree, inside bool)
		walk = func(tree []types.VirtualMachineSnapshotTree, inside bool) {
			for _, node := range tree {
				here := node.Snapshot == ref
				walk(node.ChildSnapshotList, inside || (here && withChildren))
				if here || inside {
					out = append(out, node.Snapshot)
				}
			}
		}
		walk(vm.Snapshot.RootSnapshotList, false)
	})
	return out
}

// snapshotsOfVM lists the VM's snapshot records, newest first.
func (h *harness) snapshotsOfVM(vm moref) []moref {
	var recs []*snapshotRecord
	for _, rec := range h.snaps {
		if rec.vm == vm {
			recs = append(recs, rec)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].order > recs[j].order })
	var out []moref
	for _, rec := range recs {
		out = append(out, rec.ref)
	}
	return out
}

// removalViolations lists a snapshot-removed-before-cleanup violation for every clone made from the snapshot
// that still exists, and for every proxy disk whose content the removal would change.
func (h *harness) removalViolations(ref moref) []violation {
	var out []violation
	rec := h.snaps[ref]
	if rec == nil {
		return nil
	}
	base := violation{Kind: "snapshot-removed-before-cleanup", VM: entityName(rec.vm), Snapshot: ref.Value}
	for cloneRef, c := range h.clones {
		if c.snapshot != nil && *c.snapshot == ref {
			v := base
			v.Detail = fmt.Sprintf("clone %s (%s) made from this snapshot still exists", entityName(cloneRef), cloneRef.Value)
			out = append(out, v)
		}
	}
	if h.proxy == nil {
		return out
	}
	for _, sd := range rec.disks {
		for _, pd := range h.proxy.disksReadingThrough(sd.layer, sd.child) {
			v := base
			v.Disk, v.Device = pd.uuid, pd.devicePath()
			v.Detail = fmt.Sprintf("the proxy still has %s attached", pd.fileName)
			out = append(out, v)
		}
	}
	return out
}

// removeSnapshots consolidates the given snapshots in order (each must be deepest-first) after vcsim removed
// them.
func (h *harness) removeSnapshots(refs []moref) error {
	for _, ref := range refs {
		if rec := h.snaps[ref]; rec != nil {
			if err := h.consolidateSnapshot(rec); err != nil {
				return err
			}
		}
	}
	return nil
}
