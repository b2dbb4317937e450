package main

import (
	"bytes"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// soapMiddleware sits in front of vcsim's /sdk handler. Methods on VirtualMachine and EventManager cannot be
// added by replacing those objects in vcsim's registry (vcsim type-asserts them internally), so the harness
// decodes every request here and either answers it itself, wraps vcsim's handler (to act before and after
// it), or passes it through.
type soapMiddleware struct {
	h        *harness
	inner    http.Handler
	trace    io.Writer
	traceMu  sync.Mutex
	handlers map[string]func(*soapCall)
}

// soapCall is one decoded request and where its answer goes.
type soapCall struct {
	m      *soapMiddleware
	out    http.ResponseWriter
	r      *http.Request
	body   []byte
	method *simulator.Method
	user   string
}

func newSOAPMiddleware(h *harness, inner http.Handler, trace io.Writer) *soapMiddleware {
	m := &soapMiddleware{h: h, inner: inner, trace: trace}
	m.handlers = map[string]func(*soapCall){
		"ReconfigVM_Task":              h.hookReconfigVM,
		"CreateVM_Task":                h.hookCreateVM,
		"PowerOnVM_Task":               h.hookPowerOn,
		"CreateSnapshot_Task":          h.hookCreateSnapshot,
		"RemoveSnapshot_Task":          h.hookRemoveSnapshot,
		"RemoveAllSnapshots_Task":      h.hookRemoveAllSnapshots,
		"CloneVM_Task":                 h.hookCloneVM,
		"Destroy_Task":                 h.hookDestroy,
		"UnregisterVM":                 h.hookDestroy,
		"ConsolidateVMDisks_Task":      h.serveConsolidateVMDisks,
		"QueryChangedDiskAreas":        h.serveQueryChangedDiskAreas,
		"LogUserEvent":                 h.serveLogUserEvent,
		"RevertToSnapshot_Task":        h.refuseRevert,
		"RevertToCurrentSnapshot_Task": h.refuseRevert,
	}
	return m
}

// sessionless are the methods a client may call before logging in.
var sessionless = map[string]bool{
	"RetrieveServiceContent": true, "Login": true, "LoginByToken": true, "LoginExtensionByCertificate": true,
	"LoginExtensionBySubjectName": true, "LoginBySSPI": true, "CloneSession": true,
}

func (m *soapMiddleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/sdk") {
		m.inner.ServeHTTP(w, r)
		return
	}
	body, err := ioutil.ReadAll(r.Body)
	_ = r.Body.Close()
	call := &soapCall{m: m, out: w, r: r, body: body}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	method, err := simulator.UnmarshalBody(types.TypeFunc(), body)
	if err != nil {
		call.forward() // vcsim answers with its own InvalidRequest fault
		return
	}
	call.method = method
	m.h.calls.count(method.Name)
	m.h.requests.record(method.Name, method.This.Type+":"+method.This.Value, body)
	m.logTrace(method)
	m.handle(call)
}

// handle applies, in order: session check, fault rules, disabled methods, then the method itself.
func (m *soapMiddleware) handle(call *soapCall) {
	name := call.method.Name
	m.h.sessions.expireIfIdle(call.r)
	if !sessionless[name] {
		user, ok := m.h.sessions.userOf(call.r)
		if !ok {
			call.fail(&types.NotAuthenticated{NoPermission: types.NoPermission{Object: call.method.This, PrivilegeId: "System.View"}},
				"The session is not authenticated.")
			return
		}
		call.user = user
		m.h.sessions.touch(call.r)
	}
	rule := m.h.faults.take(name, call.method.This.Value)
	if rule != nil && m.applyRule(call, rule) {
		return
	}
	if src, disabled := m.h.disabled.check(call.method.This, name); disabled {
		call.fail(&types.MethodDisabled{Source: src}, fmt.Sprintf("The method %s is disabled by '%s'", name, src))
		return
	}
	// a "drop" rule lets the call happen, records the answer and cuts the connection halfway through it
	client := call.out
	dropping := rule != nil && rule.Action == "drop"
	rec := httptest.NewRecorder()
	if dropping {
		call.out = rec
	}
	if handler := m.handlers[name]; handler != nil {
		handler(call)
	} else {
		call.forward()
	}
	if dropping {
		dropConnection(client, rec)
	}
}

func (m *soapMiddleware) logTrace(method *simulator.Method) {
	if m.trace == nil {
		return
	}
	m.traceMu.Lock()
	defer m.traceMu.Unlock()
	fmt.Fprintf(m.trace, "%s %s %s:%s\n", time.Now().Format(time.RFC3339Nano), method.Name, method.This.Type, method.This.Value)
}

// forward lets vcsim answer the request directly.
func (c *soapCall) forward() {
	c.m.inner.ServeHTTP(c.out, c.request())
}

// passThrough lets vcsim handle the request and records its answer, for hooks that act after it.
func (c *soapCall) passThrough() *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	c.m.inner.ServeHTTP(rec, c.request())
	return rec
}

func (c *soapCall) request() *http.Request {
	r := c.r.Clone(c.r.Context())
	r.Body = ioutil.NopCloser(bytes.NewReader(c.body))
	r.ContentLength = int64(len(c.body))
	return r
}

func (c *soapCall) reply(rec *httptest.ResponseRecorder) { replay(c.out, rec) }

func (c *soapCall) respond(resName string, res interface{}) { writeSOAP(c.out, resName, res, nil, "") }

func (c *soapCall) fail(fault types.BaseMethodFault, message string) {
	writeSOAP(c.out, "", nil, fault, message)
}

// hookVM resolves the VM a hook works on; when it is not a VM, vcsim answers as usual.
func (c *soapCall) hookVM() *simulator.VirtualMachine {
	vm := vmByRef(c.method.This)
	if vm == nil {
		c.forward()
	}
	return vm
}
