package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// A hold rule keeps a call waiting: released, it goes on; if the caller goes away first (an agent killed
// mid-call), the call is dropped without being carried out; if the session ends meanwhile, it fails
// NotAuthenticated as vCenter checks sessions when a call arrives.
func TestHoldRuleReleasesAbandonsOrRechecksTheSession(t *testing.T) {
	e := env(t)
	src := e.createVM(t, "hold-vm", false, 1<<20)
	vm := e.vmObject(src.Moref)
	defer e.control(t, "DELETE", "/faults", nil, nil, http.StatusOK)

	hold := func() int {
		var res struct{ ID int }
		e.control(t, "POST", "/faults", map[string]interface{}{"method": "CreateSnapshot_Task", "count": 1,
			"action": "hold"}, &res, http.StatusOK)
		return res.ID
	}
	awaitHolding := func(id int) {
		eventually(t, "the call to be held", func() bool {
			var rules []faultRule
			e.control(t, "GET", "/faults", nil, &rules, http.StatusOK)
			for _, r := range rules {
				if r.ID == id && r.Holding == 1 {
					return true
				}
			}
			return false
		})
	}

	// the caller goes away: nothing happens
	id := hold()
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { _, err := vm.CreateSnapshot(ctx, "abandoned", "", false, false); done <- err }()
	awaitHolding(id)
	cancel()
	<-done
	time.Sleep(100 * time.Millisecond)
	if snaps := e.createdSnapshots(t, "hold-vm"); snaps != 0 {
		t.Fatalf("an abandoned held call was carried out: %d snapshots", snaps)
	}

	// released: the call goes on
	id = hold()
	go func() { done <- waitErr(vm.CreateSnapshot(e.ctx, "released", "", false, false)) }()
	awaitHolding(id)
	e.control(t, "POST", "/faults/"+itoa64(int64(id))+"/release", nil, nil, http.StatusOK)
	if err := <-done; err != nil {
		t.Fatalf("released call failed: %v", err)
	}
	if snaps := e.createdSnapshots(t, "hold-vm"); snaps != 1 {
		t.Fatalf("the released call made %d snapshots", snaps)
	}
	e.checkHoldAcrossSessionExpiry(t, hold, awaitHolding)
}

func (e *testEnv) checkHoldAcrossSessionExpiry(t *testing.T, hold func() int, awaitHolding func(int)) {
	t.Helper()
	client, err := e.login("agent", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	vm := object.NewVirtualMachine(client.Client, e.vmObject(e.vmMoref(t, "hold-vm")).Reference())
	id := hold()
	done := make(chan error, 1)
	go func() { _, err := vm.CreateSnapshot(e.ctx, "expired", "", false, false); done <- err }()
	awaitHolding(id)
	e.control(t, "POST", "/sessions/expire", nil, nil, http.StatusOK)
	e.control(t, "POST", "/faults/"+itoa64(int64(id))+"/release", nil, nil, http.StatusOK)
	expectFault(t, "session ended while held", <-done, &types.NotAuthenticated{})
	if err := e.client.Login(e.ctx, url.UserPassword("agent", "s3cret")); err != nil { // the shared client too
		t.Fatal(err)
	}
}

// createdSnapshots counts the snapshots the harness knows of on the named VM.
func (e *testEnv) createdSnapshots(t *testing.T, name string) int {
	t.Helper()
	var inv struct {
		VMs []vmJSON `json:"vms"`
	}
	e.control(t, "GET", "/inventory", nil, &inv, http.StatusOK)
	for _, vm := range inv.VMs {
		if vm.Name == name {
			return len(vm.Snapshots)
		}
	}
	t.Fatalf("no VM %s", name)
	return 0
}

func (e *testEnv) vmMoref(t *testing.T, name string) string {
	t.Helper()
	var inv struct {
		VMs []vmJSON `json:"vms"`
	}
	e.control(t, "GET", "/inventory", nil, &inv, http.StatusOK)
	for _, vm := range inv.VMs {
		if vm.Name == name {
			return vm.Moref
		}
	}
	t.Fatalf("no VM %s", name)
	return ""
}

func waitErr(task *object.Task, err error) error {
	if err != nil {
		return err
	}
	return task.Wait(context.Background())
}
