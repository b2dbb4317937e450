package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

type createVMRequest struct {
	Name      string          `json:"name"`
	Host      string          `json:"host"`
	Datastore string          `json:"datastore"`
	CBT       bool            `json:"cbt"`
	PowerOn   bool            `json:"powerOn"`
	Disks     []newDiskParams `json:"disks"`
	Nics      []newNicParams  `json:"nics"`
}

// newNicParams is one network adapter: the network (standard or distributed port group) by name, and the
// adapter type (vmxnet3, e1000, e1000e; default vmxnet3).
type newNicParams struct {
	Network string `json:"network"`
	Adapter string `json:"adapter"`
}

type newDiskParams struct {
	CapacityBytes int64  `json:"capacityBytes"`
	Thin          *bool  `json:"thin"`
	Eager         bool   `json:"eager"` // a thick disk zeroed at creation (eagerlyScrub)
	Controller    string `json:"controller"`
	Mode          string `json:"mode"`
}

// postVM creates a VM through vcsim's in-process client (so it is built exactly as CreateVM_Task builds VMs)
// and gives its disks content.
func (h *harness) postVM(w http.ResponseWriter, r *http.Request) {
	req := createVMRequest{Host: "DC0_H0", Datastore: "LocalDS_0"}
	if !readJSON(w, r, &req) {
		return
	}
	if herr := req.validate(); herr != nil {
		writeError(w, herr.status, "%s", herr.msg)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	vm, herr := h.createVM(req)
	if herr != nil {
		writeError(w, herr.status, "%s", herr.msg)
		return
	}
	writeJSON(w, http.StatusOK, h.describeVM(vm))
}

func (req *createVMRequest) validate() *httpError {
	if req.Name == "" {
		return &httpError{http.StatusBadRequest, "name is required"}
	}
	if findVM(req.Name) != nil {
		return &httpError{http.StatusConflict, fmt.Sprintf("a VM named %q exists", req.Name)}
	}
	for i := range req.Disks {
		d := &req.Disks[i]
		if d.CapacityBytes <= 0 || d.CapacityBytes%1024 != 0 {
			return &httpError{http.StatusBadRequest, fmt.Sprintf("disks[%d].capacityBytes must be a positive multiple of 1024", i)}
		}
		if d.Controller == "" {
			d.Controller = "pvscsi"
		}
		if d.Mode == "" {
			d.Mode = string(types.VirtualDiskModePersistent)
		}
		if d.Thin == nil {
			d.Thin = types.NewBool(true)
		}
	}
	return nil
}

func (h *harness) createVM(req createVMRequest) (*simulator.VirtualMachine, *httpError) {
	ctx := context.Background()
	c, err := vim25.NewClient(ctx, h.model.Service)
	if err != nil {
		return nil, &httpError{http.StatusInternalServerError, err.Error()}
	}
	ref, herr := runCreateVM(ctx, c, req)
	if herr != nil {
		return nil, herr
	}
	vm := vmByRef(ref)
	h.syncVM(vm) // the in-process client bypasses the SOAP middleware and its hooks
	if req.PowerOn {
		if err := powerOn(ctx, object.NewVirtualMachine(c, vm.Self)); err != nil {
			return nil, &httpError{http.StatusInternalServerError, err.Error()}
		}
	}
	return vm, nil
}

// runCreateVM builds the config spec and runs CreateVM_Task on the host's datacenter VM folder.
func runCreateVM(ctx context.Context, c *vim25.Client, req createVMRequest) (moref, *httpError) {
	host, folder, herr := placement(req.Host)
	if herr != nil {
		return moref{}, herr
	}
	devices, herr := buildDevices(req)
	if herr != nil {
		return moref{}, herr
	}
	spec := types.VirtualMachineConfigSpec{Name: req.Name, GuestId: string(types.VirtualMachineGuestOsIdentifierOtherGuest),
		Files: &types.VirtualMachineFileInfo{VmPathName: "[" + req.Datastore + "]"}, ChangeTrackingEnabled: types.NewBool(req.CBT)}
	nics, herr := buildNics(ctx, c, req.Nics)
	if herr != nil {
		return moref{}, herr
	}
	devices = append(devices, nics...)
	var err error
	if spec.DeviceChange, err = devices.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd); err != nil {
		return moref{}, &httpError{http.StatusBadRequest, err.Error()}
	}
	hostObj := object.NewHostSystem(c, host)
	pool, err := hostObj.ResourcePool(ctx)
	if err != nil {
		return moref{}, &httpError{http.StatusInternalServerError, err.Error()}
	}
	task, err := object.NewFolder(c, folder).CreateVM(ctx, spec, pool, hostObj)
	if err != nil {
		return moref{}, &httpError{http.StatusInternalServerError, err.Error()}
	}
	info, err := task.WaitForResult(ctx, nil)
	if err != nil {
		return moref{}, &httpError{http.StatusBadRequest, "CreateVM_Task: " + err.Error()}
	}
	return info.Result.(moref), nil
}

func powerOn(ctx context.Context, vm *object.VirtualMachine) error {
	task, err := vm.PowerOn(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	return err
}

// placement finds the host by name and the VM folder of its datacenter.
func placement(hostName string) (moref, moref, *httpError) {
	for _, e := range simulator.Map.All("HostSystem") {
		if e.Entity().Name != hostName {
			continue
		}
		for p := e.Entity().Parent; p != nil; {
			obj := simulator.Map.Get(*p)
			if dc, ok := obj.(*simulator.Datacenter); ok {
				return e.Reference(), dc.VmFolder, nil
			}
			entity, ok := obj.(mo.Entity)
			if !ok {
				break
			}
			p = entity.Entity().Parent
		}
	}
	return moref{}, moref{}, &httpError{http.StatusNotFound, fmt.Sprintf("unknown host %q", hostName)}
}

// buildDevices makes one controller per requested kind and the disks on them, with explicit unit numbers.
func buildDevices(req createVMRequest) (object.VirtualDeviceList, *httpError) {
	var devices object.VirtualDeviceList
	controllers := map[string]*diskSlots{}
	key, scsiBus := int32(-100), int32(0)
	for i, d := range req.Disks {
		slots := controllers[d.Controller]
		if slots == nil {
			var herr *httpError
			if slots, herr = newController(d.Controller, &key, &scsiBus); herr != nil {
				return nil, herr
			}
			controllers[d.Controller] = slots
			if slots.device != nil {
				devices = append(devices, slots.device)
			}
		}
		ctrlKey, unit, ok := slots.next()
		if !ok {
			return nil, &httpError{http.StatusBadRequest, fmt.Sprintf("disks[%d]: no free unit on the %s controller", i, d.Controller)}
		}
		key--
		devices = append(devices, newDiskDevice(key, ctrlKey, unit, d, req.Datastore))
	}
	return devices, nil
}

func newDiskDevice(key, ctrlKey, unit int32, d newDiskParams, datastore string) *types.VirtualDisk {
	return &types.VirtualDisk{
		CapacityInBytes: d.CapacityBytes,
		CapacityInKB:    d.CapacityBytes / 1024,
		VirtualDevice: types.VirtualDevice{
			Key: key, ControllerKey: ctrlKey, UnitNumber: types.NewInt32(unit),
			Backing: &types.VirtualDiskFlatVer2BackingInfo{
				DiskMode:                     d.Mode,
				ThinProvisioned:              d.Thin,
				EagerlyScrub:                 types.NewBool(d.Eager && !*d.Thin),
				VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[" + datastore + "]"},
			},
		},
	}
}

// buildNics makes the requested network adapters, each backed by the named network as vCenter would back it.
func buildNics(ctx context.Context, c *vim25.Client, params []newNicParams) (object.VirtualDeviceList, *httpError) {
	var nics object.VirtualDeviceList
	for i, p := range params {
		backing, herr := networkBacking(ctx, c, p.Network)
		if herr != nil {
			return nil, herr
		}
		adapter := p.Adapter
		if adapter == "" {
			adapter = "vmxnet3"
		}
		nic, err := object.EthernetCardTypes().CreateEthernetCard(adapter, backing)
		if err != nil {
			return nil, &httpError{http.StatusBadRequest, fmt.Sprintf("nics[%d]: %v", i, err)}
		}
		nics = append(nics, nic)
	}
	return nics, nil
}

func networkBacking(ctx context.Context, c *vim25.Client, name string) (types.BaseVirtualDeviceBackingInfo, *httpError) {
	for _, kind := range []string{"Network", "DistributedVirtualPortgroup"} {
		for _, e := range simulator.Map.All(kind) {
			if e.Entity().Name != name {
				continue
			}
			var backing types.BaseVirtualDeviceBackingInfo
			var err error
			if kind == "Network" {
				backing, err = object.NewNetwork(c, e.Reference()).EthernetCardBackingInfo(ctx)
			} else {
				backing, err = object.NewDistributedVirtualPortgroup(c, e.Reference()).EthernetCardBackingInfo(ctx)
			}
			if err != nil {
				return nil, &httpError{http.StatusInternalServerError, err.Error()}
			}
			return backing, nil
		}
	}
	return nil, &httpError{http.StatusBadRequest, fmt.Sprintf("unknown network %q", name)}
}
