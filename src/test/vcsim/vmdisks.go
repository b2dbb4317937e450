package main

import (
	"crypto/rand"
	"fmt"
	"path"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Helpers around vcsim's objects. Rules: read or change a VM only under Map.WithLock(vm), and never while
// another simulator lock is held by this goroutine (the locks are not reentrant).

type moref = types.ManagedObjectReference

func vmByRef(ref moref) *simulator.VirtualMachine {
	vm, _ := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	return vm
}

// findVM resolves a VM by moref value ("vm-42") or by name.
func findVM(nameOrRef string) *simulator.VirtualMachine {
	if vm := vmByRef(moref{Type: "VirtualMachine", Value: nameOrRef}); vm != nil {
		return vm
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		if e.Entity().Name == nameOrRef {
			return e.(*simulator.VirtualMachine)
		}
	}
	return nil
}

func allVMs() []*simulator.VirtualMachine {
	var out []*simulator.VirtualMachine
	for _, e := range simulator.Map.All("VirtualMachine") {
		out = append(out, e.(*simulator.VirtualMachine))
	}
	return out
}

// vmDevices copies the VM's device list (the slice, not the devices) under its lock.
func vmDevices(vm *simulator.VirtualMachine) object.VirtualDeviceList {
	var out object.VirtualDeviceList
	simulator.Map.WithLock(vm, func() {
		out = append(out, vm.Config.Hardware.Device...)
	})
	return out
}

// setDevices publishes a changed device list so that property collectors see the change.
func setDevices(vm *simulator.VirtualMachine, devices []types.BaseVirtualDevice) {
	simulator.Map.Update(vm, []types.PropertyChange{{Name: "config.hardware.device", Val: devices}})
}

func disksOf(devices object.VirtualDeviceList) []*types.VirtualDisk {
	var out []*types.VirtualDisk
	for _, d := range devices {
		if disk, ok := d.(*types.VirtualDisk); ok {
			out = append(out, disk)
		}
	}
	return out
}

// flatBacking is the only disk backing the harness models (vcsim creates nothing else).
func flatBacking(d *types.VirtualDisk) *types.VirtualDiskFlatVer2BackingInfo {
	b, _ := d.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
	return b
}

func diskFileName(d *types.VirtualDisk) string {
	if b := flatBacking(d); b != nil {
		return b.FileName
	}
	return ""
}

func diskCapacity(d *types.VirtualDisk) int64 {
	if d.CapacityInBytes > 0 {
		return d.CapacityInBytes
	}
	return d.CapacityInKB * 1024
}

func unitOf(d types.BaseVirtualDevice) int32 {
	if u := d.GetVirtualDevice().UnitNumber; u != nil {
		return *u
	}
	return -1
}

// datastoreHostPath maps "[LocalDS_0] vm1/disk1.vmdk" to the file under the datastore's folder.
func datastoreHostPath(dsPath string) (string, error) {
	var p object.DatastorePath
	if !p.FromString(dsPath) {
		return "", fmt.Errorf("not a datastore path: %q", dsPath)
	}
	for _, e := range simulator.Map.All("Datastore") {
		if ds := e.(*simulator.Datastore); ds.Name == p.Datastore {
			return path.Join(ds.Info.GetDatastoreInfo().Url, p.Path), nil
		}
	}
	return "", fmt.Errorf("no datastore %q for %q", p.Datastore, dsPath)
}

func datastoreRef(dsPath string) *moref {
	var p object.DatastorePath
	p.FromString(dsPath)
	for _, e := range simulator.Map.All("Datastore") {
		if e.Entity().Name == p.Datastore {
			ref := e.Reference()
			return &ref
		}
	}
	return nil
}

// contentFile is where a disk's bytes live: the "-flat.vmdk" beside the descriptor, named exactly as vcsim
// names it (so vcsim's own checks for an existing disk, and its deletes, see the same file).
func contentFile(hostVmdk string) string {
	return strings.Replace(hostVmdk, ".vmdk", "-flat.vmdk", 1)
}

// newDiskUUID makes a VMware-form disk UUID: 6000C29 followed by 25 random hex digits, 8-4-4-4-12.
func newDiskUUID() string {
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	hex := ("6000C29" + fmt.Sprintf("%x", b))[:32]
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:]
}

// wwnName is the by-id name Linux gives a VMware disk with disk.EnableUUID: wwn-0x + the UUID's 32 hex digits.
func wwnName(uuid string) string {
	return "wwn-0x" + strings.ToLower(strings.Replace(uuid, "-", "", -1))
}

// controllerKind names a disk controller the way the control API does.
func controllerKind(c types.BaseVirtualDevice) string {
	switch c.(type) {
	case *types.ParaVirtualSCSIController:
		return "pvscsi"
	case *types.VirtualLsiLogicController:
		return "lsilogic"
	case *types.VirtualLsiLogicSASController:
		return "lsilogic-sas"
	case *types.VirtualBusLogicController:
		return "buslogic"
	case *types.VirtualIDEController:
		return "ide"
	case *types.VirtualNVMEController:
		return "nvme"
	case types.BaseVirtualSATAController:
		return "sata"
	}
	return "unknown"
}

func isSCSIController(c types.BaseVirtualDevice) bool {
	_, ok := c.(types.BaseVirtualSCSIController)
	return ok
}

// busNumber of a controller (-1 if the device is not a controller).
func busNumber(c types.BaseVirtualDevice) int32 {
	if ctrl, ok := c.(types.BaseVirtualController); ok {
		return ctrl.GetVirtualController().BusNumber
	}
	return -1
}

func cbtEnabled(vm *simulator.VirtualMachine) bool {
	var on bool
	simulator.Map.WithLock(vm, func() {
		on = vm.Config.ChangeTrackingEnabled != nil && *vm.Config.ChangeTrackingEnabled
	})
	return on
}

// refreshLayout makes vcsim recompute layout/layoutEx/storage after the harness changed disk files.
func refreshLayout(vm *simulator.VirtualMachine) {
	ctx := &simulator.Context{Map: simulator.Map}
	simulator.Map.WithLock(vm, func() {
		vm.RefreshStorageInfo(ctx, &types.RefreshStorageInfo{This: vm.Self})
	})
}
