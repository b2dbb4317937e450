package main

import (
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"syscall"
)

// The harness's registry of content layers, keyed by datastore path. All methods need h.mu.

// layerFor returns the layer of a datastore file, registering a base layer for a file the harness has not
// seen yet (a disk vcsim just created, or an existing vmdk attached by path).
func (h *harness) layerFor(dsPath string, capacity int64, owner moref) (*layer, error) {
	if l := h.layers[dsPath]; l != nil {
		if capacity > l.capacity { // the disk was extended
			l.capacity = capacity
			if err := l.file.Truncate(capacity); err != nil {
				return nil, err
			}
		}
		return l, nil
	}
	vmdk, err := datastoreHostPath(dsPath)
	if err != nil {
		return nil, err
	}
	f, err := openContent(contentFile(vmdk), capacity)
	if err != nil {
		return nil, fmt.Errorf("content file for %s: %v", dsPath, err)
	}
	if st, err := f.Stat(); err == nil && capacity == 0 { // attached by path without a size
		capacity = st.Size()
	}
	l := &layer{path: dsPath, hostPath: f.Name(), file: f, capacity: capacity, uuid: newDiskUUID(), owner: owner}
	h.layers[dsPath] = l
	return l, nil
}

var deltaSuffix = regexp.MustCompile(`-[0-9]{6}$`)

// newSnapshotDelta creates "<disk>-00000N.vmdk" (descriptor and sparse content file) in the VM's folder,
// as ESXi names snapshot redo logs, and registers it as a child of parent with the same disk UUID.
func (h *harness) newSnapshotDelta(parent *layer, folder string, owner moref) (*layer, error) {
	base := deltaSuffix.ReplaceAllString(strings.TrimSuffix(path.Base(parentPathPart(parent.path)), ".vmdk"), "")
	for n := 1; n < 1000000; n++ {
		dsPath := fmt.Sprintf("%s/%s-%06d.vmdk", strings.TrimSuffix(folder, "/"), base, n)
		if h.layers[dsPath] != nil {
			continue
		}
		vmdk, err := datastoreHostPath(dsPath)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(vmdk); err == nil {
			continue
		}
		return h.newDeltaAt(dsPath, vmdk, parent, parent.uuid, owner)
	}
	return nil, fmt.Errorf("no free delta name for %s", parent.path)
}

// parentPathPart strips the "[datastore] " prefix.
func parentPathPart(dsPath string) string {
	if i := strings.Index(dsPath, "] "); i >= 0 {
		return dsPath[i+2:]
	}
	return dsPath
}

// newDeltaAt registers a delta layer over parent whose files are at vmdk (descriptor) and its -flat file.
// Existing files are reused: vcsim has already created them empty for a clone's disks.
func (h *harness) newDeltaAt(dsPath, vmdk string, parent *layer, uuid string, owner moref) (*layer, error) {
	if err := os.WriteFile(vmdk, nil, 0600); err != nil && !os.IsExist(err) {
		return nil, err
	}
	f, err := createSparse(contentFile(vmdk), parent.capacity)
	if err != nil {
		return nil, err
	}
	l := &layer{path: dsPath, hostPath: f.Name(), file: f, capacity: parent.capacity, parent: parent,
		uuid: uuid, owner: owner}
	h.layers[dsPath] = l
	return l, nil
}

// children lists the layers that read through l.
func (h *harness) children(l *layer) []*layer {
	var out []*layer
	for _, c := range h.layers {
		if c.parent == l {
			out = append(out, c)
		}
	}
	return out
}

// frozen tells whether l must not change any more: a snapshot or a clone reads through it.
func (h *harness) frozen(l *layer) bool {
	if len(h.children(l)) > 0 {
		return true
	}
	for _, s := range h.snaps {
		for _, sd := range s.disks {
			if sd.layer == l {
				return true
			}
		}
	}
	return false
}

// dropLayer forgets a layer and deletes its files (vcsim may already have deleted them).
func (h *harness) dropLayer(l *layer) {
	delete(h.layers, l.path)
	_ = l.file.Close()
	_ = os.Remove(l.hostPath)
	if vmdk, err := datastoreHostPath(l.path); err == nil {
		_ = os.Remove(vmdk)
	}
}

// collectGarbage drops layers whose content file vcsim deleted (Destroy_Task, a removed disk with
// fileOperation=destroy) once nothing reads through them any more.
func (h *harness) collectGarbage() {
	for changed := true; changed; {
		changed = false
		for _, l := range h.layers {
			if _, err := os.Stat(l.hostPath); err == nil || h.layerInUse(l) {
				continue
			}
			h.dropLayer(l)
			changed = true
		}
	}
}

func (h *harness) layerInUse(l *layer) bool {
	if h.frozen(l) {
		return true
	}
	for _, vm := range allVMs() {
		for _, d := range disksOf(vmDevices(vm)) {
			if diskFileName(d) == l.path {
				return true
			}
		}
	}
	return h.proxy != nil && h.proxy.uses(l)
}

// pinView copies the chain of l with duplicated file descriptors, so that a long read (hash, raw read) can
// run without h.mu while the registry changes; release closes the duplicates.
func pinView(l *layer) (*layer, func(), error) {
	var files []*os.File
	release := func() {
		for _, f := range files {
			_ = f.Close()
		}
	}
	var top, prev *layer
	for c := l; c != nil; c = c.parent {
		fd, err := syscall.Dup(int(c.file.Fd()))
		if err != nil {
			release()
			return nil, nil, err
		}
		f := os.NewFile(uintptr(fd), c.hostPath)
		files = append(files, f)
		cp := &layer{path: c.path, hostPath: c.hostPath, file: f, capacity: c.capacity,
			written: c.written.copySet(), uuid: c.uuid, owner: c.owner}
		if prev == nil {
			top = cp
		} else {
			prev.parent = cp
		}
		prev = cp
	}
	return top, release, nil
}
