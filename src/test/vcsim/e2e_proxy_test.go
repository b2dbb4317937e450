package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// snapshotAndClone prepares a VM with one written disk, a snapshot and a linked clone of it.
func (e *testEnv) snapshotAndClone(t *testing.T, prefix string) (vm, clone *object.VirtualMachine, snap types.ManagedObjectReference, src vmJSON) {
	t.Helper()
	src = e.createVM(t, prefix+"-src", false, 8<<20)
	e.write(t, src.Moref, src.Disks[0].Key, 4096, "random:"+prefix, 65536)
	vm = e.vmObject(src.Moref)
	snap = wait(t)(vm.CreateSnapshot(e.ctx, "s", "", false, false)).(types.ManagedObjectReference)
	clone = e.linkedClone(t, vm, snap, prefix+"-clone")
	return vm, clone, snap, src
}

func (e *testEnv) cloneFiles(t *testing.T, clone *object.VirtualMachine) []string {
	var files []string
	for _, d := range disksOf(e.devices(t, clone)) {
		files = append(files, diskFileName(d))
	}
	return files
}

func TestDetachWithoutGuestDeleteIsAViolation(t *testing.T) {
	e := env(t)
	proxy := e.newProxy(t, "nodelete-proxy")
	vm, clone, _, _ := e.snapshotAndClone(t, "nodelete")
	before := len(e.violations(t))
	keys := e.attach(t, proxy, e.cloneFiles(t, clone))
	dev := e.deviceByKey(t, keys[0])
	e.detach(t, proxy, keys)

	v := e.violations(t)
	if len(v) != before+1 || v[before].Kind != "detach-before-guest-delete" || v[before].Disk != dev.UUID || v[before].Device != dev.Device {
		t.Fatalf("violations: %+v (device %+v)", v[before:], dev)
	}
	if _, err := os.Lstat(dev.ByID); !os.IsNotExist(err) {
		t.Fatal("the by-id link survived the detach")
	}
	wait(t)(clone.Destroy(e.ctx))
	wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
}

func TestSnapshotRemovedBeforeCleanupIsAViolation(t *testing.T) {
	e := env(t)
	vm, clone, snap, _ := e.snapshotAndClone(t, "early")
	before := len(e.violations(t))
	wait(t)(vm.RemoveSnapshot(e.ctx, "s", false, nil))
	v := e.violations(t)
	if len(v) != before+1 || v[before].Kind != "snapshot-removed-before-cleanup" || v[before].Snapshot != snap.Value {
		t.Fatalf("violations: %+v", v[before:])
	}
	wait(t)(clone.Destroy(e.ctx))
}

func TestPublishFaultHidesADiskUntilARescan(t *testing.T) {
	e := env(t)
	proxy := e.newProxy(t, "rescan-proxy")
	vm, clone, _, _ := e.snapshotAndClone(t, "rescan")
	e.control(t, "POST", "/faults", map[string]interface{}{"method": "publish", "count": 1}, nil, http.StatusOK)
	defer e.control(t, "DELETE", "/faults", nil, nil, http.StatusOK)
	keys := e.attach(t, proxy, e.cloneFiles(t, clone))
	dev := e.deviceByKey(t, keys[0])
	if dev.Published || !dev.Hidden {
		t.Fatalf("a publish fault should hide the disk: %+v", dev)
	}
	host := filepath.Join(e.ready.SysfsRoot, "class", "scsi_host", "host0", "scan")
	if err := os.WriteFile(host, []byte("- - -\n"), 0200); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the rescan to publish the disk", func() bool { return e.deviceByKey(t, keys[0]).Published })
	var rescans []rescanRecord
	e.control(t, "GET", "/rescans", nil, &rescans, http.StatusOK)
	if last := rescans[len(rescans)-1]; last.Host != 0 || last.Text != "- - -" {
		t.Fatalf("rescans: %+v", rescans)
	}
	dev = e.deviceByKey(t, keys[0])
	e.guestDelete(t, dev)
	if err := os.WriteFile(host, []byte("0 "+itoa(unitOfKey(t, e, proxy, keys[0]))+" 0"), 0200); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a targeted rescan to bring back the deleted disk", func() bool { return e.deviceByKey(t, keys[0]).Published })
	e.guestDelete(t, e.deviceByKey(t, keys[0]))
	e.detach(t, proxy, keys)
	wait(t)(clone.Destroy(e.ctx))
	wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
}

func unitOfKey(t *testing.T, e *testEnv, vm *object.VirtualMachine, key int32) int32 {
	for _, d := range disksOf(e.devices(t, vm)) {
		if d.Key == key {
			return unitOf(d)
		}
	}
	t.Fatalf("no disk %d", key)
	return -1
}

func TestFullCloneCopiesContentWithNewIdentity(t *testing.T) {
	e := env(t)
	src := e.createVM(t, "full-src", false, 4<<20)
	e.write(t, src.Moref, src.Disks[0].Key, 100, "text:full", 300000)
	vm := e.vmObject(src.Moref)
	snap := wait(t)(vm.CreateSnapshot(e.ctx, "s", "", false, false)).(types.ManagedObjectReference)
	want := e.hash(t, src.Moref, src.Disks[0].Key, snap.Value)
	e.write(t, src.Moref, src.Disks[0].Key, 0, "byte:1", 10)

	spec := types.VirtualMachineCloneSpec{Snapshot: &snap}
	folder := e.folderOf(t, vm)
	ref := wait(t)(vm.Clone(e.ctx, folder, "full-clone", spec)).(types.ManagedObjectReference)
	clone := e.vmObject(ref.Value)
	cloneDisk := disksOf(e.devices(t, clone))[0]
	b := flatBacking(cloneDisk)
	if b.Parent != nil || b.Uuid == src.Disks[0].UUID {
		t.Fatalf("full clone disk: parent %v uuid %s", b.Parent, b.Uuid)
	}
	if got := e.hash(t, ref.Value, cloneDisk.Key, ""); got.SHA256 != want.SHA256 {
		t.Fatal("the full clone does not have the snapshot-time content")
	}
	wait(t)(clone.Destroy(e.ctx))
	wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
}

func (e *testEnv) folderOf(t *testing.T, vm *object.VirtualMachine) *object.Folder {
	t.Helper()
	var mvm mo.VirtualMachine
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, vm.Reference(), []string{"parent"}, &mvm); err != nil {
		t.Fatal(err)
	}
	return object.NewFolder(e.client.Client, *mvm.Parent)
}

func TestControlAPIErrorsNameTheProblem(t *testing.T) {
	e := env(t)
	var out map[string]string
	e.control(t, "POST", "/vms/no-such-vm/disks/1/write", map[string]interface{}{"offset": 0, "length": 1, "pattern": "zero"}, &out, http.StatusNotFound)
	if !strings.Contains(out["error"], "no-such-vm") {
		t.Fatalf("error %q does not name the VM", out["error"])
	}
	vm := e.createVM(t, "errors-vm", false, 1<<20)
	e.control(t, "GET", "/vms/errors-vm/disks/999/hash", nil, &out, http.StatusNotFound)
	if !strings.Contains(out["error"], "999") {
		t.Fatalf("error %q does not name the disk", out["error"])
	}
	e.control(t, "POST", "/vms/errors-vm/disks/"+itoa(vm.Disks[0].Key)+"/write",
		map[string]interface{}{"offset": 1 << 20, "length": 1, "pattern": "zero"}, &out, http.StatusBadRequest)
	e.control(t, "POST", "/faults", map[string]interface{}{"method": "X", "fault": "NoSuchFault"}, &out, http.StatusBadRequest)
	e.control(t, "POST", "/proxy", map[string]interface{}{"vm": "nope"}, &out, http.StatusNotFound)
	e.control(t, "POST", "/vms", map[string]interface{}{"name": "bad", "disks": []map[string]interface{}{{"capacityBytes": 1000}}}, &out, http.StatusBadRequest)
}
