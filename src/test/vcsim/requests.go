package main

import (
	"net/http"
	"sync"
)

// recordedMethods are the SOAP methods whose request bodies the harness keeps, so a test can assert on what
// the agent sent (a restore's ConfigSpec: keyId, vTPM, storage policy, extraConfig) beyond what vcsim models.
var recordedMethods = map[string]bool{"CreateVM_Task": true, "ReconfigVM_Task": true, "PowerOnVM_Task": true}

// requestRecord is one recorded SOAP request: GET /requests.
type requestRecord struct {
	Method string `json:"method"`
	Object string `json:"object"`
	At     string `json:"at"`
	Body   string `json:"body"`
}

// requestLog keeps the recorded requests in arrival order; it has its own lock (see harness).
type requestLog struct {
	mu      sync.Mutex
	entries []requestRecord
}

func newRequestLog() *requestLog { return &requestLog{} }

func (l *requestLog) record(method, object string, body []byte) {
	if !recordedMethods[method] {
		return
	}
	l.mu.Lock()
	l.entries = append(l.entries, requestRecord{Method: method, Object: object, At: now(), Body: string(body)})
	l.mu.Unlock()
}

// matching lists the entries of one method (all when method is empty).
func (l *requestLog) matching(method string) []requestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []requestRecord{}
	for _, e := range l.entries {
		if method == "" || e.Method == method {
			out = append(out, e)
		}
	}
	return out
}

func (l *requestLog) clear() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

func (h *harness) getRequests(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, h.requests.matching(r.URL.Query().Get("method")))
}

func (h *harness) deleteRequests(w http.ResponseWriter, _ *http.Request) {
	h.requests.clear()
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}
