package main

import (
	"reflect"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// govmomi 0.24.2 has no request types for DisableMethods/EnableMethods; these are registered with types.Add
// so that both vcsim's decoder and the middleware's can read them.

type DisabledMethodRequest struct {
	types.DynamicData
	Method   string `xml:"method"`
	ReasonId string `xml:"reasonId,omitempty"`
}

type DisableMethods struct {
	This     moref                   `xml:"_this"`
	Entity   []moref                 `xml:"entity"`
	Method   []DisabledMethodRequest `xml:"method,omitempty"`
	SourceId string                  `xml:"sourceId"`
}

type DisableMethodsResponse struct{}

type DisableMethodsBody struct {
	Res    *DisableMethodsResponse `xml:"urn:vim25 DisableMethodsResponse,omitempty"`
	Fault_ *soap.Fault             `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault,omitempty"`
}

func (b *DisableMethodsBody) Fault() *soap.Fault { return b.Fault_ }

type EnableMethods struct {
	This     moref    `xml:"_this"`
	Entity   []moref  `xml:"entity"`
	Method   []string `xml:"method,omitempty"`
	SourceId string   `xml:"sourceId"`
}

type EnableMethodsResponse struct{}

type EnableMethodsBody struct {
	Res    *EnableMethodsResponse `xml:"urn:vim25 EnableMethodsResponse,omitempty"`
	Fault_ *soap.Fault            `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault,omitempty"`
}

func (b *EnableMethodsBody) Fault() *soap.Fault { return b.Fault_ }

func registerAuthzTypes() {
	types.Add("DisabledMethodRequest", reflect.TypeOf((*DisabledMethodRequest)(nil)).Elem())
	types.Add("DisableMethods", reflect.TypeOf((*DisableMethods)(nil)).Elem())
	types.Add("EnableMethods", reflect.TypeOf((*EnableMethods)(nil)).Elem())
}

// disabledMethods remembers who disabled what: entity -> method -> source id (MethodDisabled.source).
// vcsim's own check compares its mangled method names ("RelocateVMTask") with the stored ones
// ("RelocateVM_Task") and so never blocks a *_Task method; the middleware enforces the list instead.
type disabledMethods struct {
	mu sync.Mutex
	m  map[moref]map[string]string
}

func newDisabledMethods() *disabledMethods {
	return &disabledMethods{m: map[moref]map[string]string{}}
}

func (d *disabledMethods) check(entity moref, method string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	src, ok := d.m[entity][method]
	return src, ok
}

// forgetGoneVMs drops the entries of VMs that no longer exist: vCenter's disabled methods live on the
// entity and go with it (a backup's VM deleted mid-job leaves nothing to re-enable).
func (d *disabledMethods) forgetGoneVMs() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for ref := range d.m {
		if ref.Type == "VirtualMachine" && vmByRef(ref) == nil {
			delete(d.m, ref)
		}
	}
}

// list returns entity -> disabled methods, for /leftovers.
func (d *disabledMethods) list() map[moref][]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[moref][]string{}
	for ref, methods := range d.m {
		for name := range methods {
			out[ref] = append(out[ref], name)
		}
	}
	return out
}

// authzManager is vcsim's AuthorizationManager plus DisableMethods/EnableMethods. It embeds the vcsim type by
// value: vcsim's PropertyCollector looks for an embedded mo type by walking first fields of values.
type authzManager struct {
	simulator.AuthorizationManager
	disabled *disabledMethods
}

func (m *authzManager) DisableMethods(ctx *simulator.Context, req *DisableMethods) soap.HasFault {
	for _, ref := range req.Entity {
		if _, ok := ctx.Map.Get(ref).(mo.Entity); !ok {
			return &DisableMethodsBody{Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: ref})}
		}
	}
	for _, ref := range req.Entity {
		m.disabled.mu.Lock()
		if m.disabled.m[ref] == nil {
			m.disabled.m[ref] = map[string]string{}
		}
		for _, r := range req.Method {
			m.disabled.m[ref][r.Method] = req.SourceId
		}
		m.disabled.mu.Unlock()
		m.publish(ctx, ref)
	}
	return &DisableMethodsBody{Res: &DisableMethodsResponse{}}
}

// EnableMethods re-enables the methods that source disabled; another source's entries stay.
func (m *authzManager) EnableMethods(ctx *simulator.Context, req *EnableMethods) soap.HasFault {
	for _, ref := range req.Entity {
		if _, ok := ctx.Map.Get(ref).(mo.Entity); !ok {
			return &EnableMethodsBody{Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: ref})}
		}
	}
	for _, ref := range req.Entity {
		m.disabled.mu.Lock()
		for _, name := range req.Method {
			if m.disabled.m[ref][name] == req.SourceId {
				delete(m.disabled.m[ref], name)
			}
		}
		if len(m.disabled.m[ref]) == 0 {
			delete(m.disabled.m, ref)
		}
		m.disabled.mu.Unlock()
		m.publish(ctx, ref)
	}
	return &EnableMethodsBody{Res: &EnableMethodsResponse{}}
}

// publish sets entity.disabledMethod from the harness's list.
func (m *authzManager) publish(ctx *simulator.Context, ref moref) {
	obj := ctx.Map.Get(ref)
	names := m.disabled.list()[ref]
	ctx.WithLock(obj, func() {
		ctx.Map.Update(obj, []types.PropertyChange{{Name: "disabledMethod", Val: names}})
	})
}
