package main

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// A 1 TiB sparse disk with 2 GiB written: snapshot, linked clone, attach and consolidation cost O(changed)
// or O(allocated), never O(capacity). Opt in with VCSIM_SCALE_TEST=1 (it writes 2 GiB).
func TestOneTebibyteDiskStaysCheap(t *testing.T) {
	if os.Getenv("VCSIM_SCALE_TEST") == "" {
		t.Skip("set VCSIM_SCALE_TEST=1 to run")
	}
	e := env(t)
	const tib = int64(1) << 40
	src := e.createVM(t, "tib-src", true, tib)
	key := src.Disks[0].Key
	timed(t, "write 1 GiB random", 60*time.Second, func() { e.write(t, src.Moref, key, 0, "random:tib", 1<<30) })
	timed(t, "write 1 GiB text", 60*time.Second, func() { e.write(t, src.Moref, key, tib/2, "text:tib", 1<<30) })
	e.write(t, src.Moref, key, tib-776, "byte:9", 776)
	vm := e.vmObject(src.Moref)
	var snap types.ManagedObjectReference
	timed(t, "snapshot", 2*time.Second, func() {
		snap = wait(t)(vm.CreateSnapshot(e.ctx, "s", "", false, false)).(types.ManagedObjectReference)
	})
	e.write(t, src.Moref, key, 1<<20, "random:after", 64<<20)

	var all []span
	timed(t, "allocated areas over 1 TiB (paged)", 10*time.Second, func() { all = e.pagedAreas(t, vm, snap, key, tib, "*") })
	want := []span{{0, 1 << 30}, {tib / 2, tib/2 + 1<<30}, {tib - 65536, tib}}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("allocated areas %v, want %v", all, want)
	}
	proxy := e.newProxy(t, "tib-proxy")
	var clone = e.linkedClone(t, vm, snap, "tib-clone")
	timed(t, "attach to the proxy", 2*time.Second, func() {
		keys := e.attach(t, proxy, e.cloneFiles(t, clone))
		if dev := e.deviceByKey(t, keys[0]); dev.Materialized != "" || !dev.Published {
			t.Fatalf("a fresh linked clone must be exposed without a copy: %+v", dev)
		}
		e.guestDelete(t, e.deviceByKey(t, keys[0]))
		e.detach(t, proxy, keys)
	})
	wait(t)(clone.Destroy(e.ctx))
	timed(t, "remove the snapshot (consolidate 64 MiB)", 5*time.Second, func() {
		wait(t)(vm.RemoveAllSnapshot(e.ctx, nil))
	})
}

func timed(t *testing.T, what string, limit time.Duration, fn func()) {
	t.Helper()
	start := time.Now()
	fn()
	took := time.Since(start)
	t.Logf("%s: %v", what, took)
	if took > limit {
		t.Fatalf("%s took %v (limit %v)", what, took, limit)
	}
}

// pagedAreas asks QueryChangedDiskAreas page by page, as the agent does, until the whole disk is covered.
func (e *testEnv) pagedAreas(t *testing.T, vm *object.VirtualMachine, snap types.ManagedObjectReference, key int32, capacity int64, changeID string) []span {
	t.Helper()
	var all []span
	for start := int64(0); start < capacity; {
		info, err := e.qcda(vm, &snap, key, start, changeID)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, areas(info)...)
		start += info.Length
	}
	return all
}
