package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// The HotAdd backup flow as the agent runs it, checked at every step.
func TestBackupFlowThroughALinkedCloneOnTheProxy(t *testing.T) {
	e := env(t)
	before := len(e.violations(t))
	src, vm, snap, frozen := e.snapshotWrittenVM(t, "flow-src")
	proxy := e.newProxy(t, "flow-proxy")

	sourceBefore := e.devices(t, vm)
	clone := e.linkedClone(t, vm, snap, "flow-clone")
	if !reflect.DeepEqual(sourceBefore, e.devices(t, vm)) {
		t.Fatal("CloneVM_Task changed the source VM's devices")
	}
	keys := e.attach(t, proxy, e.checkLinkedCloneDisks(t, clone, vm, snap))
	for i, key := range keys {
		srcKey := src.Disks[i].Key
		dev := e.checkPublished(t, proxy, key, frozen[srcKey])
		e.write(t, src.Moref, srcKey, 0, "random:late", 65536) // the guest keeps writing
		if got := sha256File(t, dev.Device); got != frozen[srcKey].SHA256 {
			t.Fatalf("device content changed after a source write: %s", got)
		}
		e.guestDelete(t, dev)
	}
	e.detach(t, proxy, keys)
	wait(t)(clone.Destroy(e.ctx))
	wait(t)(vm.RemoveSnapshot(e.ctx, "backup", false, nil))

	var left leftovers
	e.control(t, "GET", "/leftovers", nil, &left, http.StatusOK)
	if !left.Clean {
		t.Fatalf("leftovers after a clean run: %+v", left)
	}
	if v := e.violations(t); len(v) != before {
		t.Fatalf("violations after a clean run: %+v", v[before:])
	}
	e.checkConsolidated(t, vm)
}

// snapshotWrittenVM makes a VM with two written disks and CBT, snapshots it and checks that a later write
// reaches the VM disk but not the snapshot; it returns the snapshot-time hashes by disk key.
func (e *testEnv) snapshotWrittenVM(t *testing.T, name string) (vmJSON, *object.VirtualMachine, types.ManagedObjectReference, map[int32]hashJSON) {
	t.Helper()
	src := e.createVM(t, name, true, 64<<20, 32<<20)
	k1, k2 := src.Disks[0].Key, src.Disks[1].Key
	e.write(t, src.Moref, k1, 0, "random:a", 1<<20)
	e.write(t, src.Moref, k1, 40<<20+3, "text:b", 100000)
	e.write(t, src.Moref, k2, 1<<20, "byte:7", 4096)
	vm := e.vmObject(src.Moref)
	snap := wait(t)(vm.CreateSnapshot(e.ctx, "backup", "", false, false)).(types.ManagedObjectReference)
	frozen := map[int32]hashJSON{k1: e.hash(t, src.Moref, k1, snap.Value), k2: e.hash(t, src.Moref, k2, snap.Value)}
	if frozen[k1] != e.hash(t, src.Moref, k1, "") {
		t.Fatal("snapshot-time content differs from the content right after the snapshot")
	}
	e.write(t, src.Moref, k1, 0, "zero", 8192) // after the snapshot: must never show in it
	if e.hash(t, src.Moref, k1, snap.Value) != frozen[k1] || e.hash(t, src.Moref, k1, "").SHA256 == frozen[k1].SHA256 {
		t.Fatal("a write after the snapshot leaked into it, or did not land on the VM disk")
	}
	return src, vm, snap, frozen
}

// newProxy creates a VM with one disk on a PVSCSI controller and makes it the proxy.
func (e *testEnv) newProxy(t *testing.T, name string) *object.VirtualMachine {
	t.Helper()
	p := e.createVM(t, name, false, 16<<20)
	var out map[string]interface{}
	e.control(t, "POST", "/proxy", map[string]string{"vm": name}, &out, http.StatusOK)
	devs := e.deviceList(t)
	if len(devs) != 1 || !devs[0].Published || devs[0].ReadOnly || devs[0].HCTL != "0:0:0:0" {
		t.Fatalf("the proxy's own disk is not published writable at 0:0:0:0: %+v", devs)
	}
	return e.vmObject(p.Moref)
}

func (e *testEnv) linkedClone(t *testing.T, vm *object.VirtualMachine, snap types.ManagedObjectReference, name string) *object.VirtualMachine {
	t.Helper()
	spec := types.VirtualMachineCloneSpec{Snapshot: &snap, Location: types.VirtualMachineRelocateSpec{
		DiskMoveType: string(types.VirtualMachineRelocateDiskMoveOptionsCreateNewChildDiskBacking)}}
	ref := wait(t)(vm.Clone(e.ctx, e.folderOf(t, vm), name, spec))
	return object.NewVirtualMachine(e.client.Client, ref.(types.ManagedObjectReference))
}

// checkLinkedCloneDisks: parent = the snapshot's disk, redo log format, new UUID; returns the clone's files.
func (e *testEnv) checkLinkedCloneDisks(t *testing.T, clone, src *object.VirtualMachine, snap types.ManagedObjectReference) []string {
	t.Helper()
	snapDisks := e.snapshotDisks(t, snap)
	cloneDisks := disksOf(e.devices(t, clone))
	if len(cloneDisks) != len(snapDisks) {
		t.Fatalf("clone has %d disks, snapshot %d", len(cloneDisks), len(snapDisks))
	}
	var files []string
	for i, d := range cloneDisks {
		b, sb := flatBacking(d), flatBacking(snapDisks[i])
		if b.Parent == nil || b.Parent.FileName != sb.FileName || b.DeltaDiskFormat != "redoLogFormat" {
			t.Fatalf("clone disk %s: parent %+v, format %q; want parent %s", b.FileName, b.Parent, b.DeltaDiskFormat, sb.FileName)
		}
		if b.Uuid == "" || b.Uuid == sb.Uuid || !strings.HasPrefix(b.Uuid, "6000C29") {
			t.Fatalf("clone disk UUID %q (snapshot disk %q)", b.Uuid, sb.Uuid)
		}
		if !strings.Contains(b.FileName, "flow-clone/") {
			t.Fatalf("clone disk file %s is not in the clone's folder", b.FileName)
		}
		files = append(files, b.FileName)
	}
	return files
}

// attach adds existing disks to the proxy's PVSCSI controller at free units, independent-nonpersistent and
// without a file operation, as the agent does; it returns their device keys.
func (e *testEnv) attach(t *testing.T, proxy *object.VirtualMachine, files []string) []int32 {
	t.Helper()
	devices := e.devices(t, proxy)
	ctrl := devices.SelectByType((*types.ParaVirtualSCSIController)(nil))[0].(types.BaseVirtualDevice).GetVirtualDevice()
	used := map[int32]bool{7: true}
	for _, d := range devices {
		if d.GetVirtualDevice().ControllerKey == ctrl.Key {
			used[unitOf(d)] = true
		}
	}
	var spec types.VirtualMachineConfigSpec
	for i, f := range files {
		unit := int32(0)
		for used[unit] {
			unit++
		}
		used[unit] = true
		disk := &types.VirtualDisk{VirtualDevice: types.VirtualDevice{Key: int32(-10 - i), ControllerKey: ctrl.Key, UnitNumber: &unit,
			Backing: &types.VirtualDiskFlatVer2BackingInfo{DiskMode: string(types.VirtualDiskModeIndependent_nonpersistent),
				VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: f}}}}
		spec.DeviceChange = append(spec.DeviceChange, &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, Device: disk})
	}
	wait(t)(proxy.Reconfigure(e.ctx, spec))
	var keys []int32
	for _, f := range files {
		for _, d := range disksOf(e.devices(t, proxy)) {
			if diskFileName(d) == f {
				keys = append(keys, d.Key)
			}
		}
	}
	return keys
}

func (e *testEnv) detach(t *testing.T, proxy *object.VirtualMachine, keys []int32) {
	t.Helper()
	var spec types.VirtualMachineConfigSpec
	for _, d := range disksOf(e.devices(t, proxy)) {
		for _, k := range keys {
			if d.Key == k {
				spec.DeviceChange = append(spec.DeviceChange, &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationRemove, Device: d})
			}
		}
	}
	wait(t)(proxy.Reconfigure(e.ctx, spec))
}

// checkPublished finds the device the way the agent does (by-id name from the disk UUID) and checks its
// size, read-only flag, sysfs entries and content.
func (e *testEnv) checkPublished(t *testing.T, proxy *object.VirtualMachine, key int32, want hashJSON) deviceJSON {
	t.Helper()
	var uuid string
	for _, d := range disksOf(e.devices(t, proxy)) {
		if d.Key == key {
			uuid = flatBacking(d).Uuid
		}
	}
	byID := filepath.Join(e.ready.ByIDDir, wwnName(uuid))
	dev := e.deviceByKey(t, key)
	if !dev.ReadOnly || dev.UUID != uuid || dev.ByID != byID {
		t.Fatalf("/devices entry %+v for disk %s", dev, uuid)
	}
	e.checkSysfs(t, byID, dev.HCTL, want.CapacityBytes)
	if f, err := os.Open(byID); err != nil {
		t.Fatal(err)
	} else if size, _ := f.Seek(0, io.SeekEnd); size != want.CapacityBytes {
		t.Fatalf("device size %d, want %d", size, want.CapacityBytes)
	} else {
		_ = f.Close()
	}
	if got := sha256File(t, byID); got != want.SHA256 {
		t.Fatalf("device content %s, want the snapshot-time %s", got, want.SHA256)
	}
	return dev
}

// checkSysfs follows the by-id link to the kernel name and checks block/<name> as the agent reads it.
func (e *testEnv) checkSysfs(t *testing.T, byID, hctl string, capacity int64) {
	t.Helper()
	target, err := os.Readlink(byID)
	if err != nil {
		t.Fatalf("no by-id link for the attached disk: %v", err)
	}
	name := filepath.Base(target)
	block := filepath.Join(e.ready.SysfsRoot, "block", name)
	if got := readTrim(t, filepath.Join(block, "size")); got != itoa64(capacity/512) || readTrim(t, filepath.Join(block, "ro")) != "1" {
		t.Fatalf("sysfs size %s / ro wrong for %s", got, name)
	}
	if readTrim(t, filepath.Join(block, "device", "vendor")) != "VMware" {
		t.Fatal("no scsi_device behind block/<dev>/device")
	}
	hexID := strings.TrimPrefix(filepath.Base(byID), "wwn-0x")
	if readTrim(t, filepath.Join(block, "device", "wwid")) != "naa."+hexID || readTrim(t, filepath.Join(block, "device", "vpd_pg80"))[4:] != hexID {
		t.Fatal("wwid / vpd_pg80 do not carry the disk UUID")
	}
	if real, _ := filepath.EvalSymlinks(filepath.Join(block, "device")); filepath.Base(real) != hctl {
		t.Fatalf("block/%s/device resolves to %s, want %s", name, real, hctl)
	}
}

func (e *testEnv) deviceByKey(t *testing.T, key int32) deviceJSON {
	for _, d := range e.deviceList(t) {
		if d.Key == key {
			return d
		}
	}
	t.Fatalf("no device for disk %d", key)
	return deviceJSON{}
}

// guestDelete writes 1 to the device's delete file and waits for the guest to drop it.
func (e *testEnv) guestDelete(t *testing.T, dev deviceJSON) {
	t.Helper()
	target, _ := os.Readlink(dev.ByID)
	del := filepath.Join(e.ready.SysfsRoot, "block", filepath.Base(target), "device", "delete")
	if err := os.WriteFile(del, []byte("1\n"), 0644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the guest to drop "+dev.Device, func() bool {
		_, errByID := os.Lstat(dev.ByID)
		_, errBlock := os.Lstat(filepath.Join(e.ready.SysfsRoot, "block", filepath.Base(target)))
		return os.IsNotExist(errByID) && os.IsNotExist(errBlock) && e.deviceByKey(t, dev.Key).DeletedByGuest
	})
}

// checkConsolidated: after the snapshot is gone the source disks are back on their base files.
func (e *testEnv) checkConsolidated(t *testing.T, vm *object.VirtualMachine) {
	t.Helper()
	for _, d := range disksOf(e.devices(t, vm)) {
		b := flatBacking(d)
		if b.Parent != nil || b.DeltaDiskFormat != "" || strings.Contains(b.FileName, "-000001") {
			t.Fatalf("disk not consolidated: %s (parent %v)", b.FileName, b.Parent)
		}
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func readTrim(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(data))
}
