package main

import (
	"net/http"
	"sort"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

type vmJSON struct {
	Name         string         `json:"name"`
	Moref        string         `json:"moref"`
	InstanceUUID string         `json:"instanceUuid"`
	BiosUUID     string         `json:"biosUuid"`
	Host         string         `json:"host"`
	PowerState   string         `json:"powerState"`
	Template     bool           `json:"template"`
	CBT          bool           `json:"cbt"`
	Clone        bool           `json:"clone"`
	CloneOf      string         `json:"cloneOf,omitempty"`
	Annotation   string         `json:"annotation,omitempty"`
	Disks        []diskJSON     `json:"disks"`
	Snapshots    []snapshotJSON `json:"snapshots"`
}

type diskJSON struct {
	Key            int32  `json:"key"`
	Label          string `json:"label"`
	ControllerKey  int32  `json:"controllerKey"`
	ControllerType string `json:"controllerType"`
	Bus            int32  `json:"bus"`
	Unit           int32  `json:"unit"`
	CapacityBytes  int64  `json:"capacityBytes"`
	UUID           string `json:"uuid"`
	FileName       string `json:"fileName"`
	ParentFileName string `json:"parentFileName"`
	ChangeID       string `json:"changeId"`
	Mode           string `json:"mode"`
	Thin           bool   `json:"thin"`
	AllocatedBytes int64  `json:"allocatedBytes"`
}

type snapshotJSON struct {
	Moref       string            `json:"moref"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	CreateTime  string            `json:"createTime"`
	Parent      string            `json:"parent,omitempty"`
	ChangeIDs   map[string]string `json:"changeIds"` // device key -> changeId ("" when CBT was off)
}

type namedRef struct {
	Name  string `json:"name"`
	Moref string `json:"moref"`
	URL   string `json:"url,omitempty"`
}

func (h *harness) getInventory(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	inv := map[string]interface{}{"vms": h.vmList(), "hosts": entityList("HostSystem"), "datastores": datastoreList()}
	writeJSON(w, http.StatusOK, inv)
}

func (h *harness) vmList() []vmJSON {
	out := []vmJSON{}
	for _, vm := range allVMs() {
		out = append(out, h.describeVM(vm))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// describeVM needs h.mu.
func (h *harness) describeVM(vm *simulator.VirtualMachine) vmJSON {
	var v vmJSON
	var devices object.VirtualDeviceList
	simulator.Map.WithLock(vm, func() {
		v = vmJSON{Name: vm.Name, Moref: vm.Self.Value, InstanceUUID: vm.Config.InstanceUuid, BiosUUID: vm.Config.Uuid,
			PowerState: string(vm.Runtime.PowerState), Template: vm.Config.Template, Annotation: vm.Config.Annotation,
			CBT: vm.Config.ChangeTrackingEnabled != nil && *vm.Config.ChangeTrackingEnabled}
		if vm.Runtime.Host != nil {
			v.Host = entityName(*vm.Runtime.Host)
		}
		devices = append(devices, vm.Config.Hardware.Device...)
	})
	if c := h.clones[vm.Self]; c != nil {
		v.Clone, v.CloneOf = true, entityName(c.source)
	}
	v.Disks = []diskJSON{}
	for _, disk := range disksOf(devices) {
		v.Disks = append(v.Disks, h.describeDisk(vm, disk, devices))
	}
	v.Snapshots = h.describeSnapshots(vm)
	return v
}

func (h *harness) describeDisk(vm *simulator.VirtualMachine, disk *types.VirtualDisk, devices object.VirtualDeviceList) diskJSON {
	d := diskJSON{Key: disk.Key, ControllerKey: disk.ControllerKey, Unit: unitOf(disk), CapacityBytes: diskCapacity(disk), Bus: -1}
	simulator.Map.WithLock(vm, func() {
		if info := disk.DeviceInfo; info != nil {
			d.Label = info.GetDescription().Label
		}
		if b := flatBacking(disk); b != nil {
			d.UUID, d.FileName, d.ChangeID, d.Mode = b.Uuid, b.FileName, b.ChangeId, b.DiskMode
			d.Thin = b.ThinProvisioned != nil && *b.ThinProvisioned
			if b.Parent != nil {
				d.ParentFileName = b.Parent.FileName
			}
		}
	})
	if ctrl := devices.FindByKey(disk.ControllerKey); ctrl != nil {
		d.ControllerType, d.Bus = controllerKind(ctrl), busNumber(ctrl)
	}
	if l := h.layers[d.FileName]; l != nil {
		if areas, err := l.allocated(); err == nil {
			d.AllocatedBytes = areas.total()
		}
	}
	return d
}

// describeSnapshots flattens the VM's snapshot tree, parents before children.
func (h *harness) describeSnapshots(vm *simulator.VirtualMachine) []snapshotJSON {
	out := []snapshotJSON{}
	var walk func(tree []types.VirtualMachineSnapshotTree, parent string)
	walk = func(tree []types.VirtualMachineSnapshotTree, parent string) {
		for _, node := range tree {
			s := snapshotJSON{Moref: node.Snapshot.Value, Name: node.Name, Description: node.Description, Parent: parent,
				CreateTime: node.CreateTime.UTC().Format(time.RFC3339Nano), ChangeIDs: map[string]string{}}
			if rec := h.snaps[node.Snapshot]; rec != nil {
				for key, sd := range rec.disks {
					s.ChangeIDs[itoa(key)] = sd.changeID()
				}
			}
			out = append(out, s)
			walk(node.ChildSnapshotList, node.Snapshot.Value)
		}
	}
	var tree []types.VirtualMachineSnapshotTree
	simulator.Map.WithLock(vm, func() {
		if vm.Snapshot != nil {
			tree = deepCopy(vm.Snapshot.RootSnapshotList).([]types.VirtualMachineSnapshotTree)
		}
	})
	walk(tree, "")
	return out
}

func entityList(kind string) []namedRef {
	out := []namedRef{}
	for _, e := range simulator.Map.All(kind) {
		out = append(out, namedRef{Name: e.Entity().Name, Moref: e.Reference().Value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func datastoreList() []namedRef {
	out := []namedRef{}
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		out = append(out, namedRef{Name: ds.Name, Moref: ds.Self.Value, URL: ds.Info.GetDatastoreInfo().Url})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
