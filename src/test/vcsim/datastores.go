package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// vcsim creates LocalDS_0 once per host and keeps only the last host's mount, so a datastore every host
// lists looks mounted on one host; the agent's pre-flight ("can the proxy's host see the target's
// datastore?") would then refuse everything. fixDatastores mounts each datastore on every host that lists
// it, and describes the default datastores as VMFS-6 with 1 MB blocks, as on a current ESXi.
func fixDatastores() {
	for _, obj := range simulator.Map.All("HostSystem") {
		host := obj.(*simulator.HostSystem)
		for _, ref := range host.Datastore {
			if ds, ok := simulator.Map.Get(ref).(*simulator.Datastore); ok {
				mountOn(ds, host.Self)
				describeAsVmfs(ds, 6, 1)
			}
		}
	}
}

func mountOn(ds *simulator.Datastore, host types.ManagedObjectReference) {
	simulator.Map.WithLock(ds, func() {
		for _, m := range ds.Host {
			if m.Key == host {
				return
			}
		}
		ds.Host = append(ds.Host, types.DatastoreHostMount{Key: host, MountInfo: types.HostMountInfo{
			AccessMode: string(types.HostMountModeReadWrite), Mounted: types.NewBool(true),
			Accessible: types.NewBool(true)}})
	})
}

// describeAsVmfs keeps the datastore's URL (vcsim resolves file paths through it) and sets the VMFS facts.
func describeAsVmfs(ds *simulator.Datastore, major int32, blockSizeMb int32) {
	simulator.Map.WithLock(ds, func() {
		if major == 0 {
			ds.Summary.Type = string(types.HostFileSystemVolumeFileSystemTypeNFS)
			return
		}
		base := *ds.Info.GetDatastoreInfo()
		ds.Info = &types.VmfsDatastoreInfo{DatastoreInfo: base, Vmfs: &types.HostVmfsVolume{
			HostFileSystemVolume: types.HostFileSystemVolume{Type: "VMFS", Name: ds.Name, Capacity: ds.Summary.Capacity},
			BlockSizeMb:          blockSizeMb, MajorVersion: major, Version: fmt.Sprintf("%d.82", major)}}
		ds.Summary.Type = "VMFS"
	})
}

// postDatastore creates a datastore mounted on the named hosts, for pre-flight tests:
// {"name":"old3","vmfsVersion":3,"blockSizeMb":8,"hosts":["DC0_H0"]} (vmfsVersion 0 = NFS).
func (h *harness) postDatastore(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name        string   `json:"name"`
		VmfsVersion int32    `json:"vmfsVersion"`
		BlockSizeMb int32    `json:"blockSizeMb"`
		Hosts       []string `json:"hosts"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	hosts, err := hostsNamed(req.Hosts)
	if err != nil || req.Name == "" {
		writeError(w, http.StatusBadRequest, "bad datastore request: name %q, hosts %v: %v", req.Name, req.Hosts, err)
		return
	}
	ds, err := h.createDatastore(req.Name, hosts)
	if err != nil {
		writeError(w, http.StatusConflict, "cannot create datastore %q: %v", req.Name, err)
		return
	}
	describeAsVmfs(ds, req.VmfsVersion, req.BlockSizeMb)
	writeJSON(w, http.StatusOK, map[string]string{"name": ds.Name, "moref": ds.Self.Value})
}

func hostsNamed(names []string) ([]*simulator.HostSystem, error) {
	var out []*simulator.HostSystem
	for _, name := range names {
		found := false
		for _, obj := range simulator.Map.All("HostSystem") {
			if h := obj.(*simulator.HostSystem); h.Name == name {
				out = append(out, h)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown host %q", name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no hosts given")
	}
	return out, nil
}

func (h *harness) createDatastore(name string, hosts []*simulator.HostSystem) (*simulator.Datastore, error) {
	dir := filepath.Join(h.cfg.datastoreDir(), "extra-"+name)
	if err := os.MkdirAll(dir, 0755); err != nil {
		return nil, err
	}
	first := hosts[0]
	dss := simulator.Map.Get(*first.ConfigManager.DatastoreSystem).(*simulator.HostDatastoreSystem)
	ctx := &simulator.Context{Map: simulator.Map}
	res := dss.CreateLocalDatastore(ctx, &types.CreateLocalDatastore{This: dss.Self, Name: name, Path: dir})
	if f := res.Fault(); f != nil {
		return nil, fmt.Errorf("%v", f.VimFault())
	}
	ds := simulator.Map.FindByName(name, first.Datastore).(*simulator.Datastore)
	for _, host := range hosts[1:] {
		addDatastoreToHost(host, ds)
		mountOn(ds, host.Self)
	}
	return ds, nil
}

func addDatastoreToHost(host *simulator.HostSystem, ds *simulator.Datastore) {
	simulator.Map.WithLock(host, func() {
		host.Datastore = append(host.Datastore, ds.Self)
	})
}
