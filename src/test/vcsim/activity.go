package main

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// clientTasks remembers every task made by TaskManager.CreateTask, oldest first, so that GET
// /vms/{vm}/activity can list a VM's task history however many other tasks came later (vcsim's
// recentTask keeps only the last 200 of all tasks).
var clientTasks struct {
	sync.Mutex
	list []*clientTask
}

func rememberClientTask(t *clientTask) {
	clientTasks.Lock()
	defer clientTasks.Unlock()
	clientTasks.list = append(clientTasks.list, t)
}

type activityTask struct {
	Task         string     `json:"task"`
	TypeID       string     `json:"typeId"`
	State        string     `json:"state"`
	Progress     int32      `json:"progress"`
	Description  string     `json:"description"`
	Error        string     `json:"error"`
	Cancelable   bool       `json:"cancelable"`
	Cancelled    bool       `json:"cancelled"`
	InitiatedBy  string     `json:"initiatedBy"`
	QueueTime    time.Time  `json:"queueTime"`
	StartTime    *time.Time `json:"startTime,omitempty"`
	CompleteTime *time.Time `json:"completeTime,omitempty"`
}

type activityEvent struct {
	Key         int32     `json:"key"`
	Type        string    `json:"type"`
	Message     string    `json:"message"`
	FullMessage string    `json:"fullMessage"`
	User        string    `json:"user"`
	CreatedTime time.Time `json:"createdTime"`
}

type managedBy struct {
	ExtensionKey string `json:"extensionKey"`
	Type         string `json:"type"`
}

type activity struct {
	VM           string            `json:"vm"`
	Moref        string            `json:"moref"`
	Tasks        []activityTask    `json:"tasks"`
	Events       []activityEvent   `json:"events"`
	CustomValues map[string]string `json:"customValues"`
	ManagedBy    *managedBy        `json:"managedBy"`
}

// getActivity answers GET /vms/{vm}/activity: what the vSphere Client shows an administrator for the VM.
func (h *harness) getActivity(w http.ResponseWriter, vmName string) {
	vm := findVM(vmName)
	if vm == nil {
		writeError(w, http.StatusNotFound, "unknown VM %q", vmName)
		return
	}
	out := activity{VM: vm.Name, Moref: vm.Self.Value, Tasks: tasksOn(vm.Self), Events: eventsOn(vm.Self),
		CustomValues: map[string]string{}}
	simulator.Map.WithLock(vm, func() {
		names := customFieldNames()
		for _, v := range vm.CustomValue {
			if s, ok := v.(*types.CustomFieldStringValue); ok {
				out.CustomValues[names[s.Key]] = s.Value
			}
		}
		if vm.Config != nil && vm.Config.ManagedBy != nil {
			out.ManagedBy = &managedBy{vm.Config.ManagedBy.ExtensionKey, vm.Config.ManagedBy.Type}
		}
	})
	writeJSON(w, http.StatusOK, out)
}

func tasksOn(vm moref) []activityTask {
	clientTasks.Lock()
	list := append([]*clientTask(nil), clientTasks.list...)
	clientTasks.Unlock()
	out := []activityTask{}
	for _, t := range list {
		var info types.TaskInfo
		simulator.Map.WithLock(t, func() { info = t.Info })
		if info.Entity == nil || *info.Entity != vm {
			continue
		}
		a := activityTask{Task: info.Key, TypeID: info.DescriptionId, State: string(info.State),
			Progress: info.Progress, Cancelable: info.Cancelable, Cancelled: info.Cancelled,
			QueueTime: info.QueueTime, StartTime: info.StartTime, CompleteTime: info.CompleteTime}
		if info.Description != nil {
			a.Description = info.Description.Message
		}
		if info.Error != nil {
			a.Error = info.Error.LocalizedMessage
		}
		if r, ok := info.Reason.(*types.TaskReasonUser); ok {
			a.InitiatedBy = r.UserName
		}
		out = append(out, a)
	}
	return out
}

// eventsOn is QueryEvents on the VM (the whole history vcsim keeps, not its default page of 10), oldest first.
func eventsOn(vm moref) []activityEvent {
	em := simulator.Map.EventManager()
	ctx := &simulator.Context{Context: context.Background(), Map: simulator.Map,
		Session: &simulator.Session{UserSession: types.UserSession{UserName: "harness"}}}
	filter := types.EventFilterSpec{MaxCount: 1000, Entity: &types.EventFilterSpecByEntity{Entity: vm,
		Recursion: types.EventFilterSpecRecursionOptionSelf}}
	var res soap.HasFault
	simulator.Map.WithLock(em, func() { res = em.QueryEvents(ctx, &types.QueryEvents{Filter: filter}) })
	out := []activityEvent{}
	body, ok := res.(*methods.QueryEventsBody)
	if !ok || body.Res == nil {
		return out
	}
	for _, be := range body.Res.Returnval {
		e := be.GetEvent()
		a := activityEvent{Key: e.Key, Type: reflect.TypeOf(be).Elem().Name(), FullMessage: e.FullFormattedMessage,
			User: e.UserName, CreatedTime: e.CreatedTime}
		if g, ok := be.(*types.GeneralUserEvent); ok {
			a.Message = g.Message
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func customFieldNames() map[int32]string {
	cfm := simulator.Map.CustomFieldsManager()
	names := map[int32]string{}
	simulator.Map.WithLock(cfm, func() {
		for _, f := range cfm.Field {
			names[f.Key] = f.Name
		}
	})
	return names
}

type extensionView struct {
	Key                string            `json:"key"`
	Version            string            `json:"version"`
	Company            string            `json:"company"`
	Label              string            `json:"label"`
	Summary            string            `json:"summary"`
	TaskTypes          []string          `json:"taskTypes"`
	EventTypes         []string          `json:"eventTypes"`
	Labels             map[string]string `json:"labels"`
	ManagedEntityTypes []string          `json:"managedEntityTypes"`
}

// getExtensions answers GET /extensions: every registered extension with its task and event types and the
// labels of its resource lists (keyed "<locale>/<module>/<key>").
func (h *harness) getExtensions(w http.ResponseWriter, _ *http.Request) {
	si := simulator.Map.Get(moref{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance)
	out := []extensionView{}
	em, ok := simulator.Map.Get(*si.Content.ExtensionManager).(*extensionManager)
	if !ok {
		writeJSON(w, http.StatusOK, out)
		return
	}
	simulator.Map.WithLock(em, func() {
		for _, x := range em.ExtensionList {
			v := extensionView{Key: x.Key, Version: x.Version, Company: x.Company, TaskTypes: []string{},
				EventTypes: []string{}, Labels: map[string]string{}, ManagedEntityTypes: []string{}}
			if x.Description != nil {
				d := x.Description.GetDescription()
				v.Label, v.Summary = d.Label, d.Summary
			}
			for _, m := range x.ManagedEntityInfo {
				v.ManagedEntityTypes = append(v.ManagedEntityTypes, m.Type)
			}
			for _, t := range x.TaskList {
				v.TaskTypes = append(v.TaskTypes, t.TaskID)
			}
			for _, e := range x.EventList {
				v.EventTypes = append(v.EventTypes, e.EventID)
			}
			for _, r := range x.ResourceList {
				for _, kv := range r.Data {
					v.Labels[r.Locale+"/"+r.Module+"/"+kv.Key] = kv.Value
				}
			}
			out = append(out, v)
		}
	})
	writeJSON(w, http.StatusOK, out)
}

// activityPath recognises /vms/{vm}/activity and answers the VM name in it.
func activityPath(r *http.Request) (string, bool) {
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 3 || parts[0] != "vms" || parts[2] != "activity" || r.Method != http.MethodGet {
		return "", false
	}
	name, err := url.PathUnescape(parts[1])
	return name, err == nil
}
