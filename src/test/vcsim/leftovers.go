package main

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// leftovers is GET /leftovers: what a backup run must not leave behind.
type leftovers struct {
	Clean           bool              `json:"clean"`
	ProxyDisks      []leftoverDisk    `json:"proxyDisks"`
	Clones          []leftoverClone   `json:"clones"`
	Snapshots       []leftoverSnap    `json:"snapshots"`
	DisabledMethods []leftoverMethods `json:"disabledMethods"`
}

type leftoverDisk struct {
	Key      int32  `json:"key"`
	UUID     string `json:"uuid"`
	FileName string `json:"fileName"`
	Owner    string `json:"owner"`
	Device   string `json:"device,omitempty"`
}

type leftoverClone struct {
	Name   string `json:"name"`
	Moref  string `json:"moref"`
	Source string `json:"source"`
}

type leftoverSnap struct {
	VM    string `json:"vm"`
	Moref string `json:"moref"`
	Name  string `json:"name"`
}

type leftoverMethods struct {
	Entity  string   `json:"entity"`
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Methods []string `json:"methods"`
}

func (h *harness) getLeftovers(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := leftovers{ProxyDisks: h.foreignProxyDisks(), Clones: h.existingClones(), Snapshots: allSnapshots(),
		DisabledMethods: h.disabledEntities()}
	out.Clean = len(out.ProxyDisks)+len(out.Clones)+len(out.Snapshots)+len(out.DisabledMethods) == 0
	writeJSON(w, http.StatusOK, out)
}

// foreignProxyDisks: disks on the proxy that were neither there when it became the proxy nor created on it,
// and whose file belongs to another VM.
func (h *harness) foreignProxyDisks() []leftoverDisk {
	out := []leftoverDisk{}
	if h.proxy == nil {
		return out
	}
	for _, pd := range h.proxy.sortedDisks() {
		if pd.atDesignation || pd.created || pd.layer == nil || pd.layer.owner == h.proxy.vm {
			continue
		}
		out = append(out, leftoverDisk{Key: pd.key, UUID: pd.uuid, FileName: pd.fileName,
			Owner: entityName(pd.layer.owner), Device: pd.devicePath()})
	}
	return out
}

func (h *harness) existingClones() []leftoverClone {
	out := []leftoverClone{}
	for ref, c := range h.clones {
		if vmByRef(ref) != nil {
			out = append(out, leftoverClone{Name: entityName(ref), Moref: ref.Value, Source: entityName(c.source)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Moref < out[j].Moref })
	return out
}

func allSnapshots() []leftoverSnap {
	out := []leftoverSnap{}
	for _, vm := range allVMs() {
		var tree []types.VirtualMachineSnapshotTree
		simulator.Map.WithLock(vm, func() {
			if vm.Snapshot != nil {
				tree = deepCopy(vm.Snapshot.RootSnapshotList).([]types.VirtualMachineSnapshotTree)
			}
		})
		var walk func([]types.VirtualMachineSnapshotTree)
		walk = func(nodes []types.VirtualMachineSnapshotTree) {
			for _, n := range nodes {
				out = append(out, leftoverSnap{VM: vm.Name, Moref: n.Snapshot.Value, Name: n.Name})
				walk(n.ChildSnapshotList)
			}
		}
		walk(tree)
	}
	return out
}

func (h *harness) disabledEntities() []leftoverMethods {
	out := []leftoverMethods{}
	for ref, methods := range h.disabled.list() {
		sort.Strings(methods)
		out = append(out, leftoverMethods{Entity: ref.Value, Type: ref.Type, Name: entityName(ref), Methods: methods})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Entity < out[j].Entity })
	return out
}

func itoa(key int32) string { return strconv.Itoa(int(key)) }
