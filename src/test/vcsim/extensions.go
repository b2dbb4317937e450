package main

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// extensionManager adds Register/Find/Update/UnregisterExtension to vcsim's plain ExtensionManager.
type extensionManager struct {
	mo.ExtensionManager
}

func (m *extensionManager) find(key string) int {
	for i := range m.ExtensionList {
		if m.ExtensionList[i].Key == key {
			return i
		}
	}
	return -1
}

func (m *extensionManager) setList(ctx *simulator.Context, list []types.Extension) {
	ctx.Map.Update(m, []types.PropertyChange{{Name: "extensionList", Val: list}})
}

func (m *extensionManager) RegisterExtension(ctx *simulator.Context, req *types.RegisterExtension) soap.HasFault {
	body := &methods.RegisterExtensionBody{}
	if m.find(req.Extension.Key) >= 0 {
		body.Fault_ = simulator.Fault("", &types.AlreadyExists{Name: req.Extension.Key})
		return body
	}
	m.setList(ctx, append(append([]types.Extension(nil), m.ExtensionList...), req.Extension))
	body.Res = &types.RegisterExtensionResponse{}
	return body
}

func (m *extensionManager) UpdateExtension(ctx *simulator.Context, req *types.UpdateExtension) soap.HasFault {
	body := &methods.UpdateExtensionBody{}
	i := m.find(req.Extension.Key)
	if i < 0 {
		body.Fault_ = simulator.Fault("", &types.NotFound{})
		return body
	}
	list := append([]types.Extension(nil), m.ExtensionList...)
	list[i] = req.Extension
	m.setList(ctx, list)
	body.Res = &types.UpdateExtensionResponse{}
	return body
}

func (m *extensionManager) FindExtension(req *types.FindExtension) soap.HasFault {
	res := &types.FindExtensionResponse{}
	if i := m.find(req.ExtensionKey); i >= 0 {
		x := m.ExtensionList[i]
		res.Returnval = &x
	}
	return &methods.FindExtensionBody{Res: res}
}

func (m *extensionManager) UnregisterExtension(ctx *simulator.Context, req *types.UnregisterExtension) soap.HasFault {
	body := &methods.UnregisterExtensionBody{}
	i := m.find(req.ExtensionKey)
	if i < 0 {
		body.Fault_ = simulator.Fault("", &types.NotFound{})
		return body
	}
	m.setList(ctx, append(append([]types.Extension(nil), m.ExtensionList[:i]...), m.ExtensionList[i+1:]...))
	body.Res = &types.UnregisterExtensionResponse{}
	return body
}

// installRegistryExtensions replaces AuthorizationManager, TaskManager and ExtensionManager in vcsim's
// registry by the extended types (same moref, so clients notice nothing).
func (h *harness) installRegistryExtensions() error {
	si := simulator.Map.Get(moref{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance)
	c := si.Content

	am := simulator.Map.Get(*c.AuthorizationManager).(*simulator.AuthorizationManager)
	simulator.Map.Put(&authzManager{AuthorizationManager: *am, disabled: h.disabled})

	tm := simulator.Map.Get(*c.TaskManager).(*simulator.TaskManager)
	wrapped := &taskManager{}
	wrapped.TaskManager.TaskManager = tm.TaskManager // copy the data, not the mutex
	simulator.Map.AddHandler(&wrapped.TaskManager)   // replaces the old handler (same moref)
	simulator.Map.Put(wrapped)

	switch x := simulator.Map.Get(*c.ExtensionManager).(type) {
	case *mo.ExtensionManager:
		simulator.Map.Put(&extensionManager{*x})
	case *extensionManager:
	default:
		logf("ExtensionManager has unexpected type %T; not extended", x)
	}
	return nil
}
