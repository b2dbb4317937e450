package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func (e *testEnv) qcda(vm *object.VirtualMachine, snap *types.ManagedObjectReference, key int32, start int64, changeID string) (types.DiskChangeInfo, error) {
	res, err := methods.QueryChangedDiskAreas(e.ctx, e.client.Client, &types.QueryChangedDiskAreas{
		This: vm.Reference(), Snapshot: snap, DeviceKey: key, StartOffset: start, ChangeId: changeID})
	if err != nil {
		return types.DiskChangeInfo{}, err
	}
	return res.Returnval, nil
}

// snapshotDisks reads the snapshot's configuration through the property collector, as a client would.
func (e *testEnv) snapshotDisks(t *testing.T, snap types.ManagedObjectReference) []*types.VirtualDisk {
	t.Helper()
	var ms mo.VirtualMachineSnapshot
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, snap, []string{"config.hardware.device"}, &ms); err != nil {
		t.Fatal(err)
	}
	return disksOf(ms.Config.Hardware.Device)
}

func (e *testEnv) snapshotChangeID(t *testing.T, snap types.ManagedObjectReference, key int32) string {
	t.Helper()
	for _, d := range e.snapshotDisks(t, snap) {
		if d.Key == key {
			return flatBacking(d).ChangeId
		}
	}
	t.Fatalf("snapshot has no disk %d", key)
	return ""
}

func areas(info types.DiskChangeInfo) []span {
	out := []span{}
	for _, a := range info.ChangedArea {
		out = append(out, span{a.Start, a.Start + a.Length})
	}
	return out
}

func expectFault(t *testing.T, what string, err error, want types.BaseMethodFault) {
	t.Helper()
	got := faultOf(err)
	if got == nil || reflect.TypeOf(got) != reflect.TypeOf(want) {
		t.Fatalf("%s: got %v (%T), want %T", what, err, got, want)
	}
}

func TestQueryChangedDiskAreasIsExactBetweenSnapshots(t *testing.T) {
	e := env(t)
	src := e.createVM(t, "cbt-vm", true, 8<<20)
	vm, key := e.vmObject(src.Moref), src.Disks[0].Key
	e.write(t, src.Moref, key, 100, "byte:1", 10)
	s1 := wait(t)(vm.CreateSnapshot(e.ctx, "s1", "", false, false)).(types.ManagedObjectReference)
	c1 := e.snapshotChangeID(t, s1, key)
	if !strings.HasSuffix(c1, "/1") || !strings.HasPrefix(c1, "52 ") {
		t.Fatalf("changeId of s1 = %q", c1)
	}
	e.write(t, src.Moref, key, 70000, "byte:2", 5)
	e.write(t, src.Moref, key, 1<<20-1, "byte:3", 2)
	e.write(t, src.Moref, key, 5<<20, "random:x", 2*65536+1)
	s2 := wait(t)(vm.CreateSnapshot(e.ctx, "s2", "", false, false)).(types.ManagedObjectReference)

	info, err := e.qcda(vm, &s2, key, 0, c1)
	want := []span{{65536, 131072}, {983040, 1114112}, {5 << 20, 5<<20 + 3*65536}}
	if err != nil || !reflect.DeepEqual(areas(info), want) || info.StartOffset != 0 || info.Length != 8<<20 {
		t.Fatalf("changed since s1: %v %+v, want %v", err, areas(info), want)
	}
	if got := e.pagedAreas(t, vm, s1, key, 8<<20, "*"); !reflect.DeepEqual(got, []span{{0, 65536}}) {
		t.Fatalf("allocated at s1: %v", got)
	}
	if got, want := e.pagedAreas(t, vm, s2, key, 8<<20, "*"), []span{{0, 131072}, {983040, 1114112}, {5 << 20, 5<<20 + 3*65536}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("allocated at s2: %v", got)
	}
	info, err = e.qcda(vm, &s2, key, 1<<20, c1) // paging: start inside the disk
	if err != nil || !reflect.DeepEqual(areas(info), []span{{1 << 20, 1114112}, {5 << 20, 5<<20 + 3*65536}}) || info.Length != 7<<20 {
		t.Fatalf("from 1 MiB: %v %v len %d", err, areas(info), info.Length)
	}
	e.checkQueryFaults(t, vm, s2, key, c1)
	e.checkCBTReset(t, src, vm, key, c1)

	current := e.hash(t, src.Moref, key, "")
	wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
	if after := e.hash(t, src.Moref, key, ""); after.SHA256 != current.SHA256 {
		t.Fatal("consolidating three snapshots changed the VM's content")
	}
	e.checkConsolidated(t, vm)
}

func (e *testEnv) checkQueryFaults(t *testing.T, vm *object.VirtualMachine, snap types.ManagedObjectReference, key int32, c1 string) {
	t.Helper()
	_, err := e.qcda(vm, &snap, 4242, 0, "*")
	expectFault(t, "unknown disk", err, &types.InvalidArgument{})
	_, err = e.qcda(vm, &snap, key, 8<<20, "*")
	expectFault(t, "start past the end", err, &types.InvalidArgument{})
	_, err = e.qcda(vm, &snap, key, 0, "not a change id")
	expectFault(t, "malformed changeId", err, &types.InvalidArgument{})
	bogus := types.ManagedObjectReference{Type: "VirtualMachineSnapshot", Value: "snapshot-999999"}
	_, err = e.qcda(vm, &bogus, key, 0, "*")
	expectFault(t, "unknown snapshot", err, &types.NotFound{})
	gone := e.vmObject("vm-999999")
	_, err = e.qcda(gone, &snap, key, 0, "*")
	expectFault(t, "unknown VM", err, &types.ManagedObjectNotFound{})
}

// checkCBTReset: turning CBT off and on gives a new tracking id; old changeIds are refused.
func (e *testEnv) checkCBTReset(t *testing.T, src vmJSON, vm *object.VirtualMachine, key int32, c1 string) {
	t.Helper()
	for _, on := range []bool{false, true} {
		wait(t)(vm.Reconfigure(e.ctx, types.VirtualMachineConfigSpec{ChangeTrackingEnabled: types.NewBool(on)}))
	}
	var mvm mo.VirtualMachine
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, vm.Reference(), []string{"config.changeTrackingEnabled"}, &mvm); err != nil || !*mvm.Config.ChangeTrackingEnabled {
		t.Fatalf("changeTrackingEnabled not applied: %v", err)
	}
	e.write(t, src.Moref, key, 0, "zero", 1)
	s3 := wait(t)(vm.CreateSnapshot(e.ctx, "s3", "", false, false)).(types.ManagedObjectReference)
	c3 := e.snapshotChangeID(t, s3, key)
	if strings.Split(c3, "/")[0] == strings.Split(c1, "/")[0] || !strings.HasSuffix(c3, "/1") {
		t.Fatalf("after a CBT reset the changeId is %q (before %q)", c3, c1)
	}
	_, err := e.qcda(vm, &s3, key, 0, c1)
	expectFault(t, "changeId of an earlier tracking id", err, &types.InvalidArgument{})
	info, err := e.qcda(vm, &s3, key, 0, c3)
	if err != nil || len(info.ChangedArea) != 0 {
		t.Fatalf("nothing changed since s3 itself: %v %v", err, areas(info))
	}
}

func TestQueryChangedDiskAreasWithoutCBTIsNotSupported(t *testing.T) {
	e := env(t)
	src := e.createVM(t, "nocbt-vm", false, 1<<20)
	vm := e.vmObject(src.Moref)
	snap := wait(t)(vm.CreateSnapshot(e.ctx, "s", "", false, false)).(types.ManagedObjectReference)
	if id := e.snapshotChangeID(t, snap, src.Disks[0].Key); id != "" {
		t.Fatalf("a snapshot without CBT has changeId %q", id)
	}
	_, err := e.qcda(vm, &snap, src.Disks[0].Key, 0, "*")
	expectFault(t, "CBT off", err, &types.NotSupported{})
	wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
}
