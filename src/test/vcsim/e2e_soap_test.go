package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func TestFaultRuleFiresExactlyCountTimes(t *testing.T) {
	e := env(t)
	src := e.createVM(t, "faults-vm", false, 1<<20)
	vm := e.vmObject(src.Moref)
	defer e.control(t, "DELETE", "/faults", nil, nil, http.StatusOK)
	rule := map[string]interface{}{"method": "CreateSnapshot_Task", "object": src.Moref, "count": 2,
		"fault": "InvalidState", "message": "injected by the test"}
	e.control(t, "POST", "/faults", rule, nil, http.StatusOK)
	for i := 0; i < 2; i++ {
		_, err := vm.CreateSnapshot(e.ctx, "s", "", false, false)
		expectFault(t, "injected fault", err, &types.InvalidState{})
		if !strings.Contains(err.Error(), "injected by the test") {
			t.Fatalf("faultstring not the rule's message: %v", err)
		}
	}
	wait(t)(vm.CreateSnapshot(e.ctx, "s", "", false, false)) // the third call goes through
	var rules []faultRule
	e.control(t, "GET", "/faults", nil, &rules, http.StatusOK)
	if len(rules) != 1 || rules[0].Hits != 2 || rules[0].Remaining != 0 {
		t.Fatalf("rules after use: %+v", rules)
	}

	inTask := map[string]interface{}{"method": "RemoveAllSnapshots_Task", "count": 1, "fault": "FileLocked",
		"message": "locked (test)", "inTask": true}
	e.control(t, "POST", "/faults", inTask, nil, http.StatusOK)
	task, err := vm.RemoveAllSnapshot(e.ctx, nil)
	if err != nil {
		t.Fatalf("an inTask fault must still return a task: %v", err)
	}
	err = task.Wait(e.ctx)
	expectFault(t, "fault in the task", err, &types.FileLocked{})
	if !strings.Contains(err.Error(), "locked (test)") {
		t.Fatalf("task error message: %v", err)
	}
	e.checkDelayAndDrop(t, vm)
}

// checkDelayAndDrop: a delay slows the call down; a drop lets it happen but cuts the answer short.
func (e *testEnv) checkDelayAndDrop(t *testing.T, vm *object.VirtualMachine) {
	t.Helper()
	e.control(t, "POST", "/faults", map[string]interface{}{"method": "CurrentTime", "count": 1, "action": "delay", "delayMs": 300}, nil, http.StatusOK)
	start := time.Now()
	if _, err := methods.GetCurrentTime(e.ctx, e.client.Client); err != nil || time.Since(start) < 300*time.Millisecond {
		t.Fatalf("delay: err %v after %v", err, time.Since(start))
	}
	e.control(t, "POST", "/faults", map[string]interface{}{"method": "RemoveAllSnapshots_Task", "count": 1, "action": "drop"}, nil, http.StatusOK)
	if _, err := vm.RemoveAllSnapshot(e.ctx, nil); err == nil {
		t.Fatal("a dropped call returned normally")
	}
	var left leftovers
	e.control(t, "GET", "/leftovers", nil, &left, http.StatusOK)
	for _, s := range left.Snapshots {
		if s.VM == "faults-vm" {
			t.Fatal("the dropped RemoveAllSnapshots_Task did not take effect")
		}
	}
}

// DisableMethods/EnableMethods are missing from govmomi 0.24.2's methods package; the test speaks them with
// the harness's own request types.
type disableBody struct {
	Req    *DisableMethods         `xml:"urn:vim25 DisableMethods,omitempty"`
	Res    *DisableMethodsResponse `xml:"urn:vim25 DisableMethodsResponse,omitempty"`
	Fault_ *soap.Fault             `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault,omitempty"`
}

func (b *disableBody) Fault() *soap.Fault { return b.Fault_ }

type enableBody struct {
	Req    *EnableMethods         `xml:"urn:vim25 EnableMethods,omitempty"`
	Res    *EnableMethodsResponse `xml:"urn:vim25 EnableMethodsResponse,omitempty"`
	Fault_ *soap.Fault            `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault,omitempty"`
}

func (b *enableBody) Fault() *soap.Fault { return b.Fault_ }

func TestDisableMethodsIsEnforced(t *testing.T) {
	e := env(t)
	src := e.createVM(t, "disabled-vm", false, 1<<20)
	vm := e.vmObject(src.Moref)
	authz := *e.client.ServiceContent.AuthorizationManager
	dis := &disableBody{Req: &DisableMethods{This: authz, Entity: []moref{vm.Reference()}, SourceId: "hotadd-agent",
		Method: []DisabledMethodRequest{{Method: "RelocateVM_Task"}, {Method: "Destroy_Task"}}}}
	if err := e.client.RoundTrip(e.ctx, dis, dis); err != nil {
		t.Fatal(err)
	}
	_, err := vm.Relocate(e.ctx, types.VirtualMachineRelocateSpec{}, "")
	expectFault(t, "disabled method", err, &types.MethodDisabled{})
	if f := faultOf(err).(*types.MethodDisabled); f.Source != "hotadd-agent" {
		t.Fatalf("MethodDisabled.source = %q", f.Source)
	}
	var mvm mo.VirtualMachine
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, vm.Reference(), []string{"disabledMethod"}, &mvm); err != nil || len(mvm.DisabledMethod) != 2 {
		t.Fatalf("disabledMethod = %v (%v)", mvm.DisabledMethod, err)
	}
	var left leftovers
	e.control(t, "GET", "/leftovers", nil, &left, http.StatusOK)
	if len(left.DisabledMethods) != 1 || left.DisabledMethods[0].Name != "disabled-vm" {
		t.Fatalf("leftovers: %+v", left.DisabledMethods)
	}
	en := &enableBody{Req: &EnableMethods{This: authz, Entity: []moref{vm.Reference()}, SourceId: "hotadd-agent",
		Method: []string{"RelocateVM_Task", "Destroy_Task"}}}
	if err := e.client.RoundTrip(e.ctx, en, en); err != nil {
		t.Fatal(err)
	}
	wait(t)(vm.Relocate(e.ctx, types.VirtualMachineRelocateSpec{}, ""))
	e.control(t, "GET", "/leftovers", nil, &left, http.StatusOK)
	if len(left.DisabledMethods) != 0 {
		t.Fatalf("still disabled: %+v", left.DisabledMethods)
	}
}

func TestSessionsCredentialsExpiryAndIdleTimeout(t *testing.T) {
	e := env(t)
	if _, err := e.login("agent", "wrong"); faultOf(err) == nil {
		t.Fatalf("a wrong password logged in: %v", err)
	}
	other, err := e.login("agent", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	e.control(t, "POST", "/sessions/expire", nil, nil, http.StatusOK)
	_, err = methods.GetCurrentTime(e.ctx, other.Client)
	expectFault(t, "call after expiry", err, &types.NotAuthenticated{})
	var mvm mo.VirtualMachine
	err = property.DefaultCollector(other.Client).RetrieveOne(e.ctx, e.vmObject("vm-63").Reference(), []string{"name"}, &mvm)
	expectFault(t, "property read after expiry", err, &types.NotAuthenticated{})
	if err := e.client.Login(e.ctx, url.UserPassword("agent", "s3cret")); err != nil {
		t.Fatal(err)
	}

	e.checkIdleTimeout(t)
}

// checkIdleTimeout turns a 300 ms idle timeout on for a while: activity keeps a session, silence ends it.
func (e *testEnv) checkIdleTimeout(t *testing.T) {
	t.Helper()
	e.rh.h.sessions.mu.Lock()
	e.rh.h.sessions.idle = 300 * time.Millisecond
	e.rh.h.sessions.mu.Unlock()
	defer func() {
		e.rh.h.sessions.mu.Lock()
		e.rh.h.sessions.idle = 0
		e.rh.h.sessions.mu.Unlock()
	}()
	idle, err := e.login("agent", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // activity keeps the session alive
		time.Sleep(200 * time.Millisecond)
		if _, err := methods.GetCurrentTime(e.ctx, idle.Client); err != nil {
			t.Fatalf("active session expired: %v", err)
		}
	}
	time.Sleep(400 * time.Millisecond)
	_, err = methods.GetCurrentTime(e.ctx, idle.Client)
	expectFault(t, "call after the idle timeout", err, &types.NotAuthenticated{})
}

func TestTasksExtensionsEventsAndCallCounts(t *testing.T) {
	e := env(t)
	c := e.client.Client
	vm := e.vmObject(e.createVM(t, "tasks-vm", false, 1<<20).Moref).Reference()
	e.control(t, "DELETE", "/calls", nil, nil, http.StatusOK)
	e.checkClientTask(t, vm)
	e.checkExtensions(t)
	if _, err := methods.LogUserEvent(e.ctx, c, &types.LogUserEvent{This: *c.ServiceContent.EventManager, Entity: vm, Msg: "backup started"}); err != nil {
		t.Fatal(err)
	}
	events, err := event.NewManager(c).QueryEvents(e.ctx, types.EventFilterSpec{Entity: &types.EventFilterSpecByEntity{Entity: vm, Recursion: types.EventFilterSpecRecursionOptionSelf}})
	found := false
	for _, ev := range events {
		if u, ok := ev.(*types.GeneralUserEvent); ok && u.Message == "backup started" && u.UserName == "agent" {
			found = true
		}
	}
	if err != nil || !found {
		t.Fatalf("LogUserEvent not found by QueryEvents (%v)", err)
	}
	var calls map[string]int
	e.control(t, "GET", "/calls", nil, &calls, http.StatusOK)
	if calls["CreateTask"] != 1 || calls["SetTaskState"] != 1 || calls["LogUserEvent"] != 1 {
		t.Fatalf("calls: %v", calls)
	}
}

// checkClientTask: a task the client creates and drives; CancelTask only sets info.cancelled.
func (e *testEnv) checkClientTask(t *testing.T, vm types.ManagedObjectReference) {
	t.Helper()
	c := e.client.Client
	created, err := methods.CreateTask(e.ctx, c, &types.CreateTask{This: *c.ServiceContent.TaskManager, Obj: vm,
		TaskTypeId: "io.hotadd.backup", InitiatedBy: "agent", Cancelable: true})
	if err != nil {
		t.Fatal(err)
	}
	task := created.Returnval.Task
	steps := []func() error{
		func() error {
			_, err := methods.SetTaskState(e.ctx, c, &types.SetTaskState{This: task, State: types.TaskInfoStateRunning})
			return err
		},
		func() error {
			_, err := methods.UpdateProgress(e.ctx, c, &types.UpdateProgress{This: task, PercentDone: 50})
			return err
		},
		func() error { _, err := methods.CancelTask(e.ctx, c, &types.CancelTask{This: task}); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	var mt mo.Task
	if err := property.DefaultCollector(c).RetrieveOne(e.ctx, task, []string{"info"}, &mt); err != nil || !mt.Info.Cancelled || mt.Info.Progress != 50 {
		t.Fatalf("task info %+v (%v)", mt.Info, err)
	}
}

func (e *testEnv) checkExtensions(t *testing.T) {
	t.Helper()
	c := e.client.Client
	em := *c.ServiceContent.ExtensionManager
	ext := types.Extension{Key: "io.hotadd.agent", Version: "1.0", LastHeartbeatTime: time.Now()}
	if _, err := methods.RegisterExtension(e.ctx, c, &types.RegisterExtension{This: em, Extension: ext}); err != nil {
		t.Fatal(err)
	}
	found, err := methods.FindExtension(e.ctx, c, &types.FindExtension{This: em, ExtensionKey: ext.Key})
	if err != nil || found.Returnval == nil || found.Returnval.Version != "1.0" {
		t.Fatalf("FindExtension: %+v %v", found, err)
	}
	if _, err := methods.UnregisterExtension(e.ctx, c, &types.UnregisterExtension{This: em, ExtensionKey: ext.Key}); err != nil {
		t.Fatal(err)
	}
	found, err = methods.FindExtension(e.ctx, c, &types.FindExtension{This: em, ExtensionKey: ext.Key})
	if err != nil || found.Returnval != nil {
		t.Fatalf("extension still found after unregistering: %v", err)
	}
}
