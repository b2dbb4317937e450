package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
)

// Disk content through the control API: /vms/{vm}/disks/{key}/{write|hash|read}.

// httpError is an answer for the control client: a status and a message.
type httpError struct {
	status int
	msg    string
}

func (h *harness) diskOperation(w http.ResponseWriter, r *http.Request) {
	if vmName, ok := activityPath(r); ok {
		h.getActivity(w, vmName)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(parts) == 3 && parts[0] == "vms" && parts[2] == "config" && r.Method == http.MethodPost {
		if vmName, err := url.PathUnescape(parts[1]); err == nil {
			h.postVMConfig(w, r, vmName)
			return
		}
	}
	if len(parts) != 5 || parts[0] != "vms" || parts[2] != "disks" {
		writeError(w, http.StatusNotFound, "no such endpoint: %s (expected /vms/{vm}/disks/{key}/{write|hash|read})", r.URL.Path)
		return
	}
	vmName, err := url.PathUnescape(parts[1])
	key, kerr := strconv.ParseInt(parts[3], 10, 32)
	if err != nil || kerr != nil {
		writeError(w, http.StatusBadRequest, "bad VM name or disk key in %s", r.URL.Path)
		return
	}
	switch op := parts[4]; {
	case op == "write" && r.Method == http.MethodPost:
		h.guestWrite(w, r, vmName, int32(key))
	case op == "hash" && r.Method == http.MethodGet:
		h.diskHash(w, r, vmName, int32(key))
	case op == "read" && r.Method == http.MethodGet:
		h.diskRead(w, r, vmName, int32(key))
	default:
		writeError(w, http.StatusNotFound, "no such operation: %s %s", r.Method, op)
	}
}

// viewOf resolves the content a request means: the VM disk now, or the disk of the given snapshot.
// Needs h.mu.
func (h *harness) viewOf(vmName string, key int32, snapshot string) (*layer, *httpError) {
	vm := findVM(vmName)
	if vm == nil {
		return nil, &httpError{http.StatusNotFound, "unknown VM " + strconv.Quote(vmName)}
	}
	if snapshot != "" {
		rec := h.snaps[moref{Type: "VirtualMachineSnapshot", Value: snapshot}]
		if rec == nil || rec.vm != vm.Self {
			return nil, &httpError{http.StatusNotFound, "unknown snapshot " + strconv.Quote(snapshot) + " of " + vm.Name}
		}
		if sd := rec.disks[key]; sd != nil {
			return sd.layer, nil
		}
		return nil, &httpError{http.StatusNotFound, "snapshot " + snapshot + " has no disk " + itoa(key)}
	}
	disk := h.findDisk(vm, key)
	if disk == nil || h.currentLayer(disk) == nil {
		return nil, &httpError{http.StatusNotFound, vm.Name + " has no disk " + itoa(key)}
	}
	return h.currentLayer(disk), nil
}

type writeRequest struct {
	Offset  int64   `json:"offset"`
	Data    *string `json:"data"`
	Length  int64   `json:"length"`
	Pattern string  `json:"pattern"`
}

// guestWrite writes as the guest would: into the disk's current layer, logged for CBT.
func (h *harness) guestWrite(w http.ResponseWriter, r *http.Request, vmName string, key int32) {
	var req writeRequest
	if !readJSON(w, r, &req) {
		return
	}
	fill, length, herr := req.source()
	if herr != nil {
		writeError(w, herr.status, "%s", herr.msg)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	l, herr := h.viewOf(vmName, key, "")
	if herr == nil && h.frozen(l) {
		herr = &httpError{http.StatusConflict, l.path + " is frozen: a snapshot or clone reads through it"}
	}
	if herr == nil && (req.Offset < 0 || req.Offset+length > l.capacity) {
		herr = &httpError{http.StatusBadRequest, "write of " + strconv.FormatInt(length, 10) + " bytes at " +
			strconv.FormatInt(req.Offset, 10) + " is outside the disk (capacity " + strconv.FormatInt(l.capacity, 10) + ")"}
	}
	if herr != nil {
		writeError(w, herr.status, "%s", herr.msg)
		return
	}
	if err := writePattern(l, req.Offset, length, fill); err != nil {
		writeError(w, http.StatusInternalServerError, "write: %v", err)
		return
	}
	vm := findVM(vmName)
	changeID := h.logWrite(vm, key, req.Offset, req.Offset+length)
	writeJSON(w, http.StatusOK, map[string]interface{}{"offset": req.Offset, "length": length, "changeId": changeID})
}

// source turns the request into a byte generator and a length.
func (req writeRequest) source() (patternFunc, int64, *httpError) {
	if req.Data != nil {
		if req.Pattern != "" {
			return nil, 0, &httpError{http.StatusBadRequest, "give either data or pattern, not both"}
		}
		data, err := base64.StdEncoding.DecodeString(*req.Data)
		if err != nil {
			return nil, 0, &httpError{http.StatusBadRequest, "data is not base64: " + err.Error()}
		}
		return bytesPattern(data), int64(len(data)), nil
	}
	if req.Length <= 0 {
		return nil, 0, &httpError{http.StatusBadRequest, "length must be positive"}
	}
	fill, err := newPattern(req.Pattern)
	if err != nil {
		return nil, 0, &httpError{http.StatusBadRequest, err.Error()}
	}
	return fill, req.Length, nil
}

func writePattern(l *layer, offset, length int64, fill patternFunc) error {
	buf := make([]byte, copyChunk)
	for done := int64(0); done < length; {
		n := min64(copyChunk, length-done)
		fill(buf[:n], done)
		if err := l.writeAt(buf[:n], offset+done); err != nil {
			return err
		}
		done += n
	}
	return nil
}

// logWrite records the write for CBT and moves the disk's changeId on; it returns the new changeId.
func (h *harness) logWrite(vm *simulator.VirtualMachine, key int32, start, end int64) string {
	t := h.trackers[diskRef{vm.Self, key}]
	if t == nil {
		return ""
	}
	changeID := t.changeID(t.record(start, end))
	simulator.Map.WithLock(vm, func() {
		for _, disk := range disksOf(vm.Config.Hardware.Device) {
			if disk.Key == key {
				flatBacking(disk).ChangeId = changeID
			}
		}
		setDevices(vm, vm.Config.Hardware.Device)
	})
	return changeID
}

// pinnedView resolves and pins the view named by the request, so the long read runs without h.mu.
func (h *harness) pinnedView(r *http.Request, vmName string, key int32) (*layer, func(), *httpError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, herr := h.viewOf(vmName, key, r.URL.Query().Get("snapshot"))
	if herr != nil {
		return nil, nil, herr
	}
	view, release, err := pinView(l)
	if err != nil {
		return nil, nil, &httpError{http.StatusInternalServerError, err.Error()}
	}
	return view, release, nil
}

// rangeOf reads offset/length query parameters; without them the whole disk.
func rangeOf(r *http.Request, capacity int64, required bool) (int64, int64, *httpError) {
	q := r.URL.Query()
	if required && (q.Get("offset") == "" || q.Get("length") == "") {
		return 0, 0, &httpError{http.StatusBadRequest, "offset and length are required"}
	}
	off, length := int64(0), capacity
	var err error
	if s := q.Get("offset"); s != "" {
		if off, err = strconv.ParseInt(s, 10, 64); err != nil {
			return 0, 0, &httpError{http.StatusBadRequest, "bad offset " + strconv.Quote(s)}
		}
		length = capacity - off
	}
	if s := q.Get("length"); s != "" {
		if length, err = strconv.ParseInt(s, 10, 64); err != nil {
			return 0, 0, &httpError{http.StatusBadRequest, "bad length " + strconv.Quote(s)}
		}
	}
	if off < 0 || length < 0 || off+length > capacity {
		return 0, 0, &httpError{http.StatusBadRequest, "range outside the disk (capacity " + strconv.FormatInt(capacity, 10) + ")"}
	}
	return off, length, nil
}

func (h *harness) diskHash(w http.ResponseWriter, r *http.Request, vmName string, key int32) {
	view, release, herr := h.pinnedView(r, vmName, key)
	if herr == nil {
		defer release()
	}
	var off, length int64
	if herr == nil {
		off, length, herr = rangeOf(r, view.capacity, false)
	}
	if herr != nil {
		writeError(w, herr.status, "%s", herr.msg)
		return
	}
	sum := sha256.New()
	areas, err := view.allocated()
	if err == nil {
		err = forEachChunk(view, off, off+length, func(p []byte) error { _, e := sum.Write(p); return e })
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "hashing: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"sha256": hex.EncodeToString(sum.Sum(nil)),
		"capacityBytes": view.capacity, "allocatedBytes": areas.total()})
}

func (h *harness) diskRead(w http.ResponseWriter, r *http.Request, vmName string, key int32) {
	view, release, herr := h.pinnedView(r, vmName, key)
	if herr == nil {
		defer release()
	}
	var off, length int64
	if herr == nil {
		off, length, herr = rangeOf(r, view.capacity, true)
	}
	if herr != nil {
		writeError(w, herr.status, "%s", herr.msg)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
	_ = forEachChunk(view, off, off+length, func(p []byte) error { _, e := w.Write(p); return e })
}
