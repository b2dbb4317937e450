package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// A clone of a second snapshot reads through a written delta: the proxy gets a flat copy of the chain.
// Attaching the first snapshot's own disk and then removing that snapshot is a violation.
func TestMultiLayerChainIsMaterializedAndProxyDisksGuardSnapshots(t *testing.T) {
	e := env(t)
	proxy := e.newProxy(t, "chain-proxy")
	src := e.createVM(t, "chain-src", false, 4<<20)
	vm, key := e.vmObject(src.Moref), src.Disks[0].Key
	e.write(t, src.Moref, key, 0, "random:one", 300000)
	s1 := wait(t)(vm.CreateSnapshot(e.ctx, "s1", "", false, false)).(types.ManagedObjectReference)
	e.write(t, src.Moref, key, 200000, "random:two", 500000)
	s2 := wait(t)(vm.CreateSnapshot(e.ctx, "s2", "", false, false)).(types.ManagedObjectReference)
	want := e.hash(t, src.Moref, key, s2.Value)
	clone := e.linkedClone(t, vm, s2, "chain-clone")

	s1File := diskFileName(e.snapshotDisks(t, s1)[0])
	keys := e.attach(t, proxy, append(e.cloneFiles(t, clone), s1File))
	cloneDev := e.checkPublished(t, proxy, keys[0], want)
	baseDev := e.checkPublished(t, proxy, keys[1], e.hash(t, src.Moref, key, s1.Value))
	if cloneDev.Materialized == "" || cloneDev.Exposed != cloneDev.Materialized || baseDev.Materialized != "" {
		t.Fatalf("a chain with a written delta must be a flat copy, a base file as is: %+v %+v", cloneDev, baseDev)
	}

	before := len(e.violations(t))
	wait(t)(vm.RemoveSnapshot(e.ctx, "s1", false, nil))
	v := e.violations(t)
	if len(v) != before+1 || v[before].Snapshot != s1.Value || v[before].Device != baseDev.Device {
		t.Fatalf("removing s1 under the proxy: %+v", v[before:])
	}
	if e.hash(t, src.Moref, key, s2.Value).SHA256 != want.SHA256 {
		t.Fatal("removing s1 changed s2's content")
	}
	e.guestDelete(t, e.deviceByKey(t, keys[0]))
	e.guestDelete(t, e.deviceByKey(t, keys[1]))
	e.detach(t, proxy, keys)
	if _, err := os.Stat(cloneDev.Materialized); !os.IsNotExist(err) {
		t.Fatal("the flat copy outlived the detach")
	}
	wait(t)(clone.Destroy(e.ctx))
	wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
}

// A second PVSCSI controller becomes SCSI host 1; a disk created on the proxy is its own (not a leftover).
func TestProxyControllersAndItsOwnDisks(t *testing.T) {
	e := env(t)
	proxy := e.newProxy(t, "ctrl-proxy")
	wait(t)(proxy.Reconfigure(e.ctx, controllerWithNewDisk(1, 3)))
	host1 := filepath.Join(e.ready.SysfsRoot, "class", "scsi_host", "host1")
	if readTrim(t, filepath.Join(host1, "proc_name")) != "vmw_pvscsi" {
		t.Fatal("no scsi_host/host1 for the new controller")
	}
	var dummy deviceJSON
	for _, d := range e.deviceList(t) {
		if d.HCTL == "1:0:3:0" {
			dummy = d
		}
	}
	if !dummy.Published || dummy.ReadOnly || !strings.HasPrefix(dummy.UUID, "6000C29") {
		t.Fatalf("the proxy's own new disk: %+v", dummy)
	}
	var left leftovers
	e.control(t, "GET", "/leftovers", nil, &left, http.StatusOK)
	if len(left.ProxyDisks) != 0 {
		t.Fatalf("the proxy's own disk is reported as a leftover: %+v", left.ProxyDisks)
	}
	e.guestDelete(t, dummy)
	wait(t)(proxy.Reconfigure(e.ctx, removeDiskAndController(e.devices(t, proxy), dummy.Key, 1)))
	if _, err := os.Lstat(host1); !os.IsNotExist(err) {
		t.Fatal("scsi_host/host1 survived the controller's removal")
	}
}

// controllerWithNewDisk adds a PVSCSI controller at bus and a new 1 MiB disk (fileOperation=create) on it.
func controllerWithNewDisk(bus, unit int32) types.VirtualMachineConfigSpec {
	ctrl := &types.ParaVirtualSCSIController{VirtualSCSIController: types.VirtualSCSIController{
		SharedBus: types.VirtualSCSISharingNoSharing, ScsiCtlrUnitNumber: 7,
		VirtualController: types.VirtualController{BusNumber: bus, VirtualDevice: types.VirtualDevice{Key: -1}}}}
	disk := &types.VirtualDisk{CapacityInKB: 1024, CapacityInBytes: 1 << 20, VirtualDevice: types.VirtualDevice{Key: -2,
		ControllerKey: -1, UnitNumber: &unit, Backing: &types.VirtualDiskFlatVer2BackingInfo{DiskMode: "persistent",
			ThinProvisioned: types.NewBool(true), VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[LocalDS_0]"}}}}
	return types.VirtualMachineConfigSpec{DeviceChange: []types.BaseVirtualDeviceConfigSpec{
		&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, Device: ctrl},
		&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, Device: disk,
			FileOperation: types.VirtualDeviceConfigSpecFileOperationCreate}}}
}

// removeDiskAndController destroys the disk and removes the SCSI controller at bus.
func removeDiskAndController(devices object.VirtualDeviceList, diskKey, bus int32) types.VirtualMachineConfigSpec {
	var spec types.VirtualMachineConfigSpec
	for _, d := range devices {
		if d.GetVirtualDevice().Key != diskKey && !(isSCSIController(d) && busNumber(d) == bus) {
			continue
		}
		op := &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationRemove, Device: d}
		if _, isDisk := d.(*types.VirtualDisk); isDisk {
			op.FileOperation = types.VirtualDeviceConfigSpecFileOperationDestroy
		}
		spec.DeviceChange = append(spec.DeviceChange, op)
	}
	return spec
}

// New disks on any VM get content and a UUID, whether made by CreateVM_Task or by ReconfigVM_Task.
func TestNewDisksOnAnyVMGetContentAndUUIDs(t *testing.T) {
	e := env(t)
	var devices object.VirtualDeviceList
	scsi, _ := devices.CreateSCSIController("pvscsi")
	devices = append(devices, scsi)
	disk := devices.CreateDisk(scsi.(types.BaseVirtualController), types.ManagedObjectReference{}, "[LocalDS_0]")
	disk.CapacityInKB = 2048
	changes, _ := object.VirtualDeviceList{scsi, disk}.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	spec := types.VirtualMachineConfigSpec{Name: "soap-vm", GuestId: "otherGuest", DeviceChange: changes,
		Files: &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"}}
	host := object.NewHostSystem(e.client.Client, types.ManagedObjectReference{Type: "HostSystem", Value: "host-21"})
	pool, err := host.ResourcePool(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	anyVM := e.vmObject(e.createVM(t, "folder-probe", false).Moref)
	ref := wait(t)(e.folderOf(t, anyVM).CreateVM(e.ctx, spec, pool, host)).(types.ManagedObjectReference)
	vm := e.vmObject(ref.Value)
	e.checkDisksHaveContent(t, ref.Value, 1)

	ctrlKey := disksOf(e.devices(t, vm))[0].ControllerKey
	unit := int32(1)
	added := &types.VirtualDisk{CapacityInKB: 512, VirtualDevice: types.VirtualDevice{Key: -5, ControllerKey: ctrlKey, UnitNumber: &unit,
		Backing: &types.VirtualDiskFlatVer2BackingInfo{DiskMode: "persistent", VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[LocalDS_0]"}}}}
	wait(t)(vm.Reconfigure(e.ctx, types.VirtualMachineConfigSpec{DeviceChange: []types.BaseVirtualDeviceConfigSpec{
		&types.VirtualDeviceConfigSpec{Operation: "add", FileOperation: "create", Device: added}}}))
	e.checkDisksHaveContent(t, ref.Value, 2)
}

func (e *testEnv) checkDisksHaveContent(t *testing.T, moref string, want int) {
	t.Helper()
	var inv struct{ VMs []vmJSON }
	e.control(t, "GET", "/inventory", nil, &inv, http.StatusOK)
	for _, vm := range inv.VMs {
		if vm.Moref != moref {
			continue
		}
		if len(vm.Disks) != want {
			t.Fatalf("%s has %d disks, want %d", vm.Name, len(vm.Disks), want)
		}
		for _, d := range vm.Disks {
			if !strings.HasPrefix(d.UUID, "6000C29") || d.CapacityBytes == 0 || d.ControllerType != "pvscsi" {
				t.Fatalf("disk without identity: %+v", d)
			}
			e.write(t, moref, d.Key, d.CapacityBytes-3, "text:end", 3)
			if h := e.hash(t, moref, d.Key, ""); h.AllocatedBytes == 0 || h.CapacityBytes != d.CapacityBytes {
				t.Fatalf("content of %s: %+v", d.FileName, h)
			}
		}
		return
	}
	t.Fatalf("VM %s not in the inventory", moref)
}
