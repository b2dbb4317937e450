package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"net/http"
)

// controlHandler serves the control API (plain http, loopback only): see the table in the contract.
func (h *harness) controlHandler() http.Handler {
	mux := http.NewServeMux()
	route := func(path string, byMethod map[string]http.HandlerFunc) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(path, "/") && r.URL.Path != path {
				writeError(w, http.StatusNotFound, "no such endpoint: %s", r.URL.Path)
				return
			}
			if fn := byMethod[r.Method]; fn != nil {
				fn(w, r)
				return
			}
			writeError(w, http.StatusMethodNotAllowed, "%s does not support %s", path, r.Method)
		})
	}
	route("/healthz", map[string]http.HandlerFunc{"GET": func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}})
	route("/inventory", map[string]http.HandlerFunc{"GET": h.getInventory})
	route("/vms", map[string]http.HandlerFunc{"POST": h.postVM})
	route("/vms/", map[string]http.HandlerFunc{"GET": h.diskOperation, "POST": h.diskOperation})
	route("/proxy", map[string]http.HandlerFunc{"POST": h.postProxy})
	route("/datastores", map[string]http.HandlerFunc{"POST": h.postDatastore})
	route("/leftovers", map[string]http.HandlerFunc{"GET": h.getLeftovers})
	route("/violations", map[string]http.HandlerFunc{"GET": h.getViolations})
	route("/devices", map[string]http.HandlerFunc{"GET": h.getDevices})
	route("/rescans", map[string]http.HandlerFunc{"GET": h.getRescans})
	route("/faults", map[string]http.HandlerFunc{"GET": h.getFaults, "POST": h.postFault, "DELETE": h.deleteFaults})
	route("/faults/", map[string]http.HandlerFunc{"POST": h.releaseFault})
	route("/calls", map[string]http.HandlerFunc{"GET": h.getCalls, "DELETE": h.deleteCalls})
	route("/sessions/expire", map[string]http.HandlerFunc{"POST": h.expireSessions})
	route("/requests", map[string]http.HandlerFunc{"GET": h.getRequests, "DELETE": h.deleteRequests})
	route("/kms", map[string]http.HandlerFunc{"POST": h.postKMS})
	route("/extensions", map[string]http.HandlerFunc{"GET": h.getExtensions})
	route("/qemu", map[string]http.HandlerFunc{"GET": h.getQemuEvents})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, args ...interface{}) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// readJSON decodes the request body; unknown fields are refused so that a typo is an error, not a no-op.
func readJSON(w http.ResponseWriter, r *http.Request, v interface{}) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<30))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad JSON body: %v", err)
		return false
	}
	return true
}

func (h *harness) postProxy(w http.ResponseWriter, r *http.Request) {
	var req struct {
		VM string `json:"vm"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	vm := findVM(req.VM)
	if vm == nil {
		writeError(w, http.StatusNotFound, "unknown VM %q", req.VM)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.designateProxy(vm); err != nil {
		writeError(w, http.StatusInternalServerError, "designating %s: %v", vm.Name, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Name, "moref": vm.Self.Value, "devices": h.deviceList()})
}

func (h *harness) getViolations(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, append([]violation{}, h.violations...))
}

func (h *harness) getRescans(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, append([]rescanRecord{}, h.rescans...))
}

func (h *harness) getFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.faults.list())
}

func (h *harness) postFault(w http.ResponseWriter, r *http.Request) {
	var rule faultRule
	if !readJSON(w, r, &rule) {
		return
	}
	id, err := h.faults.add(rule)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"id": id})
}

// releaseFault answers POST /faults/{id}/release: the calls a hold rule keeps waiting go on.
func (h *harness) releaseFault(w http.ResponseWriter, r *http.Request) {
	var id int
	if _, err := fmt.Sscanf(r.URL.Path, "/faults/%d/release", &id); err != nil || !h.faults.release(id) {
		writeError(w, http.StatusNotFound, "no hold rule at %s", r.URL.Path)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"released": true})
}

func (h *harness) deleteFaults(w http.ResponseWriter, _ *http.Request) {
	h.faults.clear()
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (h *harness) getCalls(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.calls.snapshot())
}

func (h *harness) deleteCalls(w http.ResponseWriter, _ *http.Request) {
	h.calls.reset()
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (h *harness) expireSessions(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]int{"expired": h.sessions.expireAll()})
}

// deviceJSON is one entry of GET /devices: a disk attached to the proxy and what the guest has for it.
type deviceJSON struct {
	VM             string `json:"vm"`
	Key            int32  `json:"key"`
	UUID           string `json:"uuid"`
	FileName       string `json:"fileName"`
	Device         string `json:"device"`
	ByID           string `json:"byId"`
	HCTL           string `json:"hctl"`
	Host           int    `json:"host"`
	ReadOnly       bool   `json:"readOnly"`
	Published      bool   `json:"published"`
	DeletedByGuest bool   `json:"deletedByGuest"`
	Hidden         bool   `json:"hidden"`
	Materialized   string `json:"materialized,omitempty"`
	Exposed        string `json:"exposed,omitempty"`
}

func (h *harness) getDevices(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, h.deviceList())
}

// deviceList needs h.mu.
func (h *harness) deviceList() []deviceJSON {
	out := []deviceJSON{}
	if h.proxy == nil {
		return out
	}
	for _, pd := range h.proxy.sortedDisks() {
		d := deviceJSON{VM: entityName(h.proxy.vm), Key: pd.key, UUID: pd.uuid, FileName: pd.fileName, Host: -1,
			DeletedByGuest: pd.deletedByGuest, Hidden: pd.hidden}
		if host := h.proxy.hosts[pd.ctrlKey]; host != nil {
			d.Host = host.num
			d.HCTL = fmt.Sprintf("%d:0:%d:0", host.num, pd.unit)
		}
		if dev := pd.dev; dev != nil {
			d.Device, d.ByID, d.ReadOnly, d.Published = dev.path, dev.byID, dev.readOnly, true
			d.Materialized, d.Exposed = dev.materialized, dev.exposed
		}
		out = append(out, d)
	}
	return out
}
