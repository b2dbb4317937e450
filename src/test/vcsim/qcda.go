package main

import (
	"fmt"

	"github.com/vmware/govmomi/vim25/types"
)

// serveQueryChangedDiskAreas implements VirtualMachine.QueryChangedDiskAreas from the harness's content
// layers and CBT logs (see the contract for the faults and the paging rules).
func (h *harness) serveQueryChangedDiskAreas(call *soapCall) {
	req := call.method.Body.(*types.QueryChangedDiskAreas)
	h.mu.Lock()
	info, fault, msg := h.changedDiskAreas(req)
	h.mu.Unlock()
	if fault != nil {
		call.fail(fault, msg)
		return
	}
	call.respond("QueryChangedDiskAreasResponse", &types.QueryChangedDiskAreasResponse{Returnval: info})
}

// diskState is the disk a query is about: a snapshot's disk, or the VM's disk now when no snapshot is given.
func (h *harness) diskState(vmRef moref, snapshot *moref, key int32) (*snapDisk, types.BaseMethodFault, string) {
	vm := vmByRef(vmRef)
	if vm == nil {
		return nil, &types.ManagedObjectNotFound{Obj: vmRef}, fmt.Sprintf("The object %s has already been deleted or has not been completely created", vmRef.Value)
	}
	if snapshot != nil {
		rec := h.snaps[*snapshot]
		if rec == nil || rec.vm != vm.Self {
			return nil, &types.NotFound{}, fmt.Sprintf("snapshot %s of %s not found", snapshot.Value, vm.Name)
		}
		if sd := rec.disks[key]; sd != nil {
			return sd, nil, ""
		}
		return nil, &types.InvalidArgument{InvalidProperty: "deviceKey"}, fmt.Sprintf("snapshot %s has no disk %d", snapshot.Value, key)
	}
	disk := h.findDisk(vm, key)
	if disk == nil || h.currentLayer(disk) == nil {
		return nil, &types.InvalidArgument{InvalidProperty: "deviceKey"}, fmt.Sprintf("%s has no disk %d", vm.Name, key)
	}
	sd := &snapDisk{layer: h.currentLayer(disk), capacity: diskCapacity(disk)}
	if t := h.trackers[diskRef{vm.Self, key}]; t != nil {
		sd.tracker, sd.seq = t, t.seq
	}
	return sd, nil, ""
}

func (h *harness) changedDiskAreas(req *types.QueryChangedDiskAreas) (types.DiskChangeInfo, types.BaseMethodFault, string) {
	var none types.DiskChangeInfo
	sd, fault, msg := h.diskState(req.This, req.Snapshot, req.DeviceKey)
	if fault != nil {
		return none, fault, msg
	}
	if sd.tracker == nil {
		return none, &types.NotSupported{}, "Change tracking was not enabled on this disk when the snapshot was taken"
	}
	if req.StartOffset < 0 || req.StartOffset >= sd.capacity {
		return none, &types.InvalidArgument{InvalidProperty: "startOffset"}, fmt.Sprintf("startOffset %d is outside the disk (capacity %d)", req.StartOffset, sd.capacity)
	}
	var areas intervalSet
	if req.ChangeId == "*" {
		var err error
		if areas, err = sd.layer.allocated(); err != nil {
			return none, &types.SystemError{Reason: err.Error()}, err.Error()
		}
	} else {
		id, seq, ok := parseChangeID(req.ChangeId)
		if !ok || id != sd.tracker.id || seq > sd.seq {
			return none, &types.InvalidArgument{InvalidProperty: "changeId"}, fmt.Sprintf("changeId %q is not valid for this disk", req.ChangeId)
		}
		areas = sd.tracker.changedBetween(seq, sd.seq)
	}
	return h.cfg.cbt.answer(areas, req.StartOffset, sd.capacity), nil, ""
}
