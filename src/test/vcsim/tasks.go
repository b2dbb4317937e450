package main

import (
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// taskManager is vcsim's TaskManager plus CreateTask (tasks the client itself owns and drives).
type taskManager struct {
	simulator.TaskManager
}

// Lock/Unlock opt the wrapper out of the dispatcher's per-object lock (as vcsim's nopLocker does): otherwise
// CreateTask -> Map.Put -> TaskManager.PutObject -> Lock deadlocks on the promoted mutex the dispatcher holds.
func (m *taskManager) Lock()   {}
func (m *taskManager) Unlock() {}

// clientTask is a task created by TaskManager.CreateTask; the client sets its state and progress.
type clientTask struct {
	simulator.Task
}

func (m *taskManager) CreateTask(ctx *simulator.Context, req *types.CreateTask) soap.HasFault {
	body := &methods.CreateTaskBody{}
	target := ctx.Map.Get(req.Obj)
	if target == nil {
		body.Fault_ = simulator.Fault("", &types.ManagedObjectNotFound{Obj: req.Obj})
		return body
	}
	name := req.Obj.Value
	if e, ok := target.(mo.Entity); ok {
		name = e.Entity().Name
	}
	t := &clientTask{}
	t.Self.Type = "Task"
	obj := req.Obj
	t.Info = types.TaskInfo{Name: req.TaskTypeId, DescriptionId: req.TaskTypeId, Entity: &obj, EntityName: name,
		State: types.TaskInfoStateQueued, Cancelable: req.Cancelable, QueueTime: time.Now(),
		Reason: &types.TaskReasonUser{UserName: req.InitiatedBy}, ParentTaskKey: req.ParentTaskKey,
		ActivationId: req.ActivationId}
	ctx.Map.Put(t) // assigns task-N and tells the TaskManager (recentTask)
	t.Info.Key = t.Self.Value
	t.Info.Task = t.Self
	rememberClientTask(t)
	body.Res = &types.CreateTaskResponse{Returnval: t.Info}
	return body
}

func (t *clientTask) SetTaskState(ctx *simulator.Context, req *types.SetTaskState) soap.HasFault {
	changes := []types.PropertyChange{{Name: "info.state", Val: req.State}}
	switch req.State {
	case types.TaskInfoStateRunning:
		changes = append(changes, types.PropertyChange{Name: "info.startTime", Val: time.Now()})
	case types.TaskInfoStateSuccess, types.TaskInfoStateError:
		changes = append(changes, types.PropertyChange{Name: "info.completeTime", Val: time.Now()})
		if req.Result != nil {
			changes = append(changes, types.PropertyChange{Name: "info.result", Val: req.Result})
		}
		if req.Fault != nil {
			changes = append(changes, types.PropertyChange{Name: "info.error", Val: req.Fault})
		}
	}
	ctx.Map.Update(t, changes)
	return &methods.SetTaskStateBody{Res: &types.SetTaskStateResponse{}}
}

func (t *clientTask) UpdateProgress(ctx *simulator.Context, req *types.UpdateProgress) soap.HasFault {
	body := &methods.UpdateProgressBody{}
	if t.Info.State != types.TaskInfoStateRunning {
		body.Fault_ = simulator.Fault("The task is not running", &types.InvalidState{})
		return body
	}
	ctx.Map.Update(t, []types.PropertyChange{{Name: "info.progress", Val: req.PercentDone}})
	body.Res = &types.UpdateProgressResponse{}
	return body
}

func (t *clientTask) SetTaskDescription(ctx *simulator.Context, req *types.SetTaskDescription) soap.HasFault {
	ctx.Map.Update(t, []types.PropertyChange{{Name: "info.description", Val: req.Description}})
	return &methods.SetTaskDescriptionBody{Res: &types.SetTaskDescriptionResponse{}}
}

// CancelTask only asks: it sets info.cancelled, and the task's owner reads it and finishes the task.
func (t *clientTask) CancelTask(ctx *simulator.Context, req *types.CancelTask) soap.HasFault {
	body := &methods.CancelTaskBody{}
	switch {
	case t.Info.State == types.TaskInfoStateSuccess || t.Info.State == types.TaskInfoStateError:
		body.Fault_ = simulator.Fault("The task has already completed", &types.InvalidState{})
	case !t.Info.Cancelable:
		body.Fault_ = simulator.Fault("The task cannot be cancelled", &types.NotSupported{})
	default:
		ctx.Map.Update(t, []types.PropertyChange{{Name: "info.cancelled", Val: true}})
		body.Res = &types.CancelTaskResponse{}
	}
	return body
}
