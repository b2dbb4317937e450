package main

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Hooks around vcsim's own handlers. Each takes h.mu for the whole call, lets vcsim run the method (vcsim
// runs tasks synchronously, so the task has finished when its handler returns), and then, only if the task
// succeeded, brings the harness's content, CBT and proxy state in line.

func (h *harness) hookReconfigVM(call *soapCall) {
	vm := call.hookVM()
	if vm == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	isProxy := h.proxy != nil && h.proxy.vm == vm.Self
	if isProxy {
		h.pollGuest() // a "1" written to delete just before the detach counts
	}
	known := h.knownLayers()
	rec := call.passThrough()
	if _, ok := taskResult(rec); ok {
		h.syncVM(vm)
		if isProxy {
			h.proxyReconfigured(vm, known)
		}
		h.collectGarbage()
	}
	call.reply(rec)
}

func (h *harness) knownLayers() map[string]bool {
	known := map[string]bool{}
	for p := range h.layers {
		known[p] = true
	}
	return known
}

// hookCreateVM lets vcsim create the VM, then gives its disks content and applies what vcsim ignores: the
// key of a CryptoSpecEncrypt becomes config.keyId, and the spec's vApp properties the VM's. A key whose
// provider is down fails the task, as vCenter does when it cannot get the key.
func (h *harness) hookCreateVM(call *soapCall) {
	spec := &call.method.Body.(*types.CreateVM_Task).Config
	key := encryptKey(spec)
	if key != nil && key.ProviderId != nil && !h.kms.reachable(key.ProviderId.Id) {
		fault, msg := keyUnavailable(*key)
		writeTaskResponse(call.out, call.method.Name, failedTask(call.method.This, call.method.Name, fault, msg))
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := call.passThrough()
	if res, ok := taskResult(rec); ok {
		if ref, isRef := res.(moref); isRef {
			if vm := vmByRef(ref); vm != nil {
				simulator.Map.WithLock(vm, func() {
					if key != nil {
						vm.Config.KeyId = key
					}
					applyVAppSpec(vm, spec.VAppConfig)
				})
				h.syncVM(vm)
			}
		}
	}
	call.reply(rec)
}

// hookPowerOn refuses to power on an encrypted VM whose key provider is down, as vCenter cannot push the key
// to the host then.
func (h *harness) hookPowerOn(call *soapCall) {
	vm := call.hookVM()
	if vm == nil {
		return
	}
	var key *types.CryptoKeyId
	simulator.Map.WithLock(vm, func() { key = vm.Config.KeyId })
	if key != nil && key.ProviderId != nil && !h.kms.reachable(key.ProviderId.Id) {
		fault, msg := keyUnavailable(*key)
		writeTaskResponse(call.out, call.method.Name, failedTask(vm.Self, call.method.Name, fault, msg))
		return
	}
	call.forward()
}

func (h *harness) hookCreateSnapshot(call *soapCall) {
	vm := call.hookVM()
	if vm == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := call.passThrough()
	if res, ok := taskResult(rec); ok {
		if ref, isRef := res.(moref); isRef {
			if err := h.onSnapshotCreated(vm, ref); err != nil {
				logf("snapshot %s of %s: %v", ref.Value, vm.Name, err)
			}
		}
	}
	call.reply(rec)
}

func (h *harness) hookRemoveSnapshot(call *soapCall) {
	req := call.method.Body.(*types.RemoveSnapshot_Task)
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := h.snaps[req.This]
	if rec == nil || vmByRef(rec.vm) == nil {
		call.forward()
		return
	}
	doomed := snapshotSubtree(vmByRef(rec.vm), req.This, req.RemoveChildren)
	h.removeSnapshotsAround(call, doomed)
}

func (h *harness) hookRemoveAllSnapshots(call *soapCall) {
	vm := call.hookVM()
	if vm == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeSnapshotsAround(call, h.snapshotsOfVM(vm.Self))
}

// removeSnapshotsAround lets vcsim remove the snapshots, then records the violations the removal caused
// (judged on the state before it) and consolidates.
func (h *harness) removeSnapshotsAround(call *soapCall, doomed []moref) {
	var found []violation
	for _, ref := range doomed {
		found = append(found, h.removalViolations(ref)...)
	}
	rec := call.passThrough()
	if _, ok := taskResult(rec); ok {
		for _, v := range found {
			h.recordViolation(v)
		}
		if err := h.removeSnapshots(doomed); err != nil {
			logf("consolidation: %v", err)
		}
	}
	call.reply(rec)
}

func (h *harness) hookCloneVM(call *soapCall) {
	vm := call.hookVM()
	if vm == nil {
		return
	}
	req := call.method.Body.(*types.CloneVM_Task)
	h.mu.Lock()
	defer h.mu.Unlock()
	src, err := h.cloneSourceOf(vm, req.Spec.Snapshot)
	if err != nil {
		call.fail(&types.InvalidArgument{InvalidProperty: "spec.snapshot"}, err.Error())
		return
	}
	restore := lendDevices(vm)
	rec := call.passThrough()
	restore()
	if res, ok := taskResult(rec); ok {
		if clone := vmByRef(res.(moref)); clone != nil {
			if err := h.onCloneCreated(clone, req, src); err != nil {
				logf("clone %s: %v", clone.Name, err)
			}
		}
	}
	call.reply(rec)
}

// hookDestroy covers Destroy_Task on anything (a VM, or a folder holding VMs) and UnregisterVM.
func (h *harness) hookDestroy(call *soapCall) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := call.passThrough()
	h.forgetGoneVMs()
	call.reply(rec)
}

// serveConsolidateVMDisks implements ConsolidateVMDisks_Task, which vcsim lacks.
func (h *harness) serveConsolidateVMDisks(call *soapCall) {
	vm := vmByRef(call.method.This)
	if vm == nil {
		call.fail(&types.ManagedObjectNotFound{Obj: call.method.This}, "")
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	ref := runTask(vm.Self, "consolidateDisks", func() (types.AnyType, types.BaseMethodFault) {
		if err := h.consolidateVMDisks(vm); err != nil {
			return nil, &types.SystemError{Reason: err.Error()}
		}
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "runtime.consolidationNeeded", Val: false}})
		return nil, nil
	})
	writeTaskResponse(call.out, call.method.Name, ref)
}

// refuseRevert: vcsim reports success for a revert without changing anything; the harness does not model
// reverting disk content, so it says so rather than pretend.
func (h *harness) refuseRevert(call *soapCall) {
	call.fail(&types.NotSupported{}, "the vcsim harness does not model reverting disk content to a snapshot")
}
