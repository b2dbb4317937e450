package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// faultRule is one POST /faults rule. Count 0 means every matching call; Remaining is then -1.
type faultRule struct {
	ID        int    `json:"id"`
	Method    string `json:"method"`
	Object    string `json:"object,omitempty"`
	Count     int    `json:"count"`
	Action    string `json:"action"`
	Fault     string `json:"fault,omitempty"`
	Message   string `json:"message,omitempty"`
	InTask    bool   `json:"inTask,omitempty"`
	DelayMs   int    `json:"delayMs,omitempty"`
	Remaining int    `json:"remaining"`
	Hits      int    `json:"hits"`
	Holding   int    `json:"holding"`
	release   chan struct{}
}

// publishMethod is the pseudo method of device-side rules: hide the next N disks attached to the proxy.
const publishMethod = "publish"

type faultTable struct {
	mu     sync.Mutex
	nextID int
	rules  []*faultRule
}

func newFaultTable() *faultTable { return &faultTable{nextID: 1} }

// add validates and stores a rule.
func (t *faultTable) add(r faultRule) (int, error) {
	if r.Method == "" {
		return 0, fmt.Errorf("method is required")
	}
	if r.Action == "" {
		r.Action = "fault"
	}
	switch r.Action {
	case "fault":
		if r.Method == publishMethod {
			break
		}
		if r.Fault == "" {
			return 0, fmt.Errorf("action fault needs a fault type name")
		}
		if _, err := newFault(r.Fault); err != nil {
			return 0, err
		}
	case "delay", "drop":
	case "hold":
		r.release = make(chan struct{})
	default:
		return 0, fmt.Errorf("unknown action %q (fault, delay, drop or hold)", r.Action)
	}
	if r.Count < 0 || r.DelayMs < 0 {
		return 0, fmt.Errorf("count and delayMs must not be negative")
	}
	r.Remaining, r.Hits = r.Count, 0
	if r.Count == 0 {
		r.Remaining = -1
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r.ID = t.nextID
	t.nextID++
	t.rules = append(t.rules, &r)
	return r.ID, nil
}

// take finds the first live rule for the call, counts the hit and returns a copy of it.
func (t *faultTable) take(method, object string) *faultRule {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.rules {
		if r.Method != method || r.Remaining == 0 || (r.Object != "" && r.Object != object) {
			continue
		}
		r.Hits++
		if r.Remaining > 0 {
			r.Remaining--
		}
		cp := *r
		return &cp
	}
	return nil
}

func (t *faultTable) list() []faultRule {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := []faultRule{}
	for _, r := range t.rules {
		out = append(out, *r)
	}
	return out
}

func (t *faultTable) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.rules {
		t.releaseLocked(r)
	}
	t.rules = nil
}

// release lets the calls a hold rule keeps waiting go on; false if there is no such hold rule.
func (t *faultTable) release(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.rules {
		if r.ID == id && r.release != nil {
			t.releaseLocked(r)
			return true
		}
	}
	return false
}

func (t *faultTable) releaseLocked(r *faultRule) {
	if r.release != nil {
		select {
		case <-r.release:
		default:
			close(r.release)
		}
	}
}

func (t *faultTable) adjustHolding(id, delta int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.rules {
		if r.ID == id {
			r.Holding += delta
		}
	}
}

// applyRule acts on a matched rule; it tells whether the call has been answered.
func (m *soapMiddleware) applyRule(call *soapCall, r *faultRule) bool {
	if r.DelayMs > 0 {
		time.Sleep(time.Duration(r.DelayMs) * time.Millisecond)
	}
	if r.Action == "hold" {
		return m.hold(call, r)
	}
	if r.Action != "fault" {
		return false // delay: now handle it; drop: handled after the call
	}
	fault, err := newFault(r.Fault)
	if err != nil { // validated when added; cannot happen
		call.fail(&types.SystemError{Reason: err.Error()}, err.Error())
		return true
	}
	name := call.method.Name
	if r.InTask && strings.HasSuffix(name, "_Task") {
		ref := failedTask(call.method.This, name, fault, r.Message)
		writeTaskResponse(call.out, name, ref)
		return true
	}
	call.fail(fault, r.Message)
	return true
}

// failedTask creates a task on obj that ends in the given fault, as vCenter reports a task that failed.
func failedTask(obj moref, method string, fault types.BaseMethodFault, message string) moref {
	id := strings.TrimSuffix(method, "_Task")
	id = string(unicode.ToLower(rune(id[0]))) + id[1:]
	ref := runTask(obj, id, func() (types.AnyType, types.BaseMethodFault) { return nil, fault })
	if message != "" {
		if t, ok := simulator.Map.Get(ref).(*simulator.Task); ok {
			simulator.Map.Update(t, []types.PropertyChange{{Name: "info.error",
				Val: types.LocalizedMethodFault{Fault: fault, LocalizedMessage: message}}})
		}
	}
	return ref
}

// dropConnection sends the status line, headers with the full Content-Length and half of the recorded body,
// then closes the connection: the client sees a response cut short after the call took effect.
func dropConnection(client http.ResponseWriter, rec *httptest.ResponseRecorder) {
	hj, ok := client.(http.Hijacker)
	if !ok {
		replay(client, rec)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		logf("drop: %v", err)
		return
	}
	defer conn.Close()
	full := rec.Body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %d\r\n\r\n",
		rec.Code, http.StatusText(rec.Code), len(full))
	_, _ = buf.Write(full[:len(full)/2])
	_ = buf.Flush()
}

// holdLimit bounds a hold a test forgot to release.
const holdLimit = 10 * time.Minute

// hold keeps the call waiting, as a slow vCenter would, until the rule is released (the call then goes on,
// unless the caller's session was ended meanwhile: vCenter checks the session when the call arrives) or the
// caller goes away (an agent killed mid-call): then the call is dropped unexecuted, so a test can stop an
// agent exactly between two steps.
func (m *soapMiddleware) hold(call *soapCall, r *faultRule) bool {
	m.h.faults.adjustHolding(r.ID, 1)
	defer m.h.faults.adjustHolding(r.ID, -1)
	select {
	case <-r.release:
	case <-call.r.Context().Done():
		return true
	case <-time.After(holdLimit):
	}
	if !sessionless[call.method.Name] {
		if _, ok := m.h.sessions.userOf(call.r); !ok {
			call.fail(&types.NotAuthenticated{NoPermission: types.NoPermission{Object: call.method.This,
				PrivilegeId: "System.View"}}, "The session is not authenticated.")
			return true
		}
	}
	return false
}
