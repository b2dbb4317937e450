package main

import (
	"context"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// serveLogUserEvent implements EventManager.LogUserEvent: a GeneralUserEvent on the entity, with the typed
// entity argument filled so that QueryEvents with EventFilterSpec.entity finds it.
func (h *harness) serveLogUserEvent(call *soapCall) {
	req := call.method.Body.(*types.LogUserEvent)
	e, ok := simulator.Map.Get(req.Entity).(mo.Entity)
	if !ok {
		call.fail(&types.ManagedObjectNotFound{Obj: req.Entity}, "")
		return
	}
	name := e.Entity().Name
	ev := &types.GeneralUserEvent{
		GeneralEvent: types.GeneralEvent{Message: req.Msg, Event: types.Event{
			FullFormattedMessage: "User logged event: " + req.Msg, UserName: call.user}},
		Entity: &types.ManagedEntityEventArgument{EntityEventArgument: types.EntityEventArgument{Name: name}, Entity: req.Entity},
	}
	setEventEntity(&ev.Event, req.Entity, name)
	ctx := &simulator.Context{Context: context.Background(), Map: simulator.Map,
		Session: &simulator.Session{UserSession: types.UserSession{UserName: call.user}}}
	em := simulator.Map.EventManager()
	simulator.Map.WithLock(em, func() { em.PostEvent(ctx, &types.PostEvent{EventToPost: ev}) })
	call.respond("LogUserEventResponse", &types.LogUserEventResponse{})
}

func setEventEntity(ev *types.Event, ref moref, name string) {
	arg := types.EntityEventArgument{Name: name}
	switch ref.Type {
	case "VirtualMachine":
		ev.Vm = &types.VmEventArgument{EntityEventArgument: arg, Vm: ref}
	case "HostSystem":
		ev.Host = &types.HostEventArgument{EntityEventArgument: arg, Host: ref}
	case "Datastore":
		ev.Ds = &types.DatastoreEventArgument{EntityEventArgument: arg, Datastore: ref}
	case "ClusterComputeResource", "ComputeResource":
		ev.ComputeResource = &types.ComputeResourceEventArgument{EntityEventArgument: arg, ComputeResource: ref}
	case "Datacenter":
		ev.Datacenter = &types.DatacenterEventArgument{EntityEventArgument: arg, Datacenter: ref}
	}
}
