package main

import (
	"net/http"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// sessionTracker checks SOAP sessions for the middleware and enforces the idle timeout itself: vcsim's own
// idle watch (simulator.SessionIdleTimeout) only looks at a session every timeout period, so a session could
// live up to twice the timeout, and it does not see calls the harness answers itself.
type sessionTracker struct {
	mu       sync.Mutex
	idle     time.Duration
	lastSeen map[string]time.Time // by session key (the vmware_soap_session cookie)
}

func newSessionTracker(idle time.Duration) *sessionTracker {
	return &sessionTracker{idle: idle, lastSeen: map[string]time.Time{}}
}

var sessionManagerRef = moref{Type: "SessionManager", Value: "SessionManager"}

// liveSessions lists vcsim's sessions. A Session view of the SessionManager carries the full session list,
// which is the only exported way to read it.
func liveSessions() []types.UserSession {
	view := &simulator.Session{Registry: simulator.NewRegistry()}
	sm, ok := view.Get(sessionManagerRef).(*simulator.SessionManager)
	if !ok {
		return nil
	}
	return sm.SessionList
}

func sessionKey(r *http.Request) string {
	if c, err := r.Cookie(soap.SessionCookieName); err == nil {
		return c.Value
	}
	return ""
}

// userOf returns the user of the request's session, if it has a live one.
func (t *sessionTracker) userOf(r *http.Request) (string, bool) {
	key := sessionKey(r)
	if key == "" {
		return "", false
	}
	for _, s := range liveSessions() {
		if s.Key == key {
			return s.UserName, true
		}
	}
	return "", false
}

func (t *sessionTracker) touch(r *http.Request) {
	if key := sessionKey(r); key != "" {
		t.mu.Lock()
		t.lastSeen[key] = time.Now()
		t.mu.Unlock()
	}
}

// expireIfIdle ends the request's session if it has been idle longer than the timeout, so that this very
// call gets NotAuthenticated.
func (t *sessionTracker) expireIfIdle(r *http.Request) {
	key := sessionKey(r)
	t.mu.Lock()
	idle := t.idle
	last, seen := t.lastSeen[key]
	t.mu.Unlock()
	if idle <= 0 || key == "" {
		return
	}
	if !seen {
		for _, s := range liveSessions() {
			if s.Key == key {
				last, seen = s.LastActiveTime, true
			}
		}
	}
	if seen && time.Since(last) > idle {
		terminateSession(key)
		t.mu.Lock()
		delete(t.lastSeen, key)
		t.mu.Unlock()
	}
}

// expireAll ends every SOAP session and returns how many there were.
func (t *sessionTracker) expireAll() int {
	sessions := liveSessions()
	for _, s := range sessions {
		terminateSession(s.Key)
	}
	t.mu.Lock()
	t.lastSeen = map[string]time.Time{}
	t.mu.Unlock()
	return len(sessions)
}

// terminateSession uses SessionManager.TerminateSession with a context whose own session is none of the
// terminated ones (TerminateSession refuses to end the caller's session).
func terminateSession(key string) {
	ctx := &simulator.Context{Map: simulator.Map,
		Session: &simulator.Session{UserSession: types.UserSession{Key: "vcsim-harness-control"}}}
	sm := simulator.Map.SessionManager()
	sm.TerminateSession(ctx, &types.TerminateSession{This: sessionManagerRef, SessionId: []string{key}})
}

// callCounter counts SOAP calls per method for GET /calls.
type callCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func newCallCounter() *callCounter { return &callCounter{counts: map[string]int{}} }

func (c *callCounter) count(method string) {
	c.mu.Lock()
	c.counts[method]++
	c.mu.Unlock()
}

func (c *callCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

func (c *callCounter) reset() {
	c.mu.Lock()
	c.counts = map[string]int{}
	c.mu.Unlock()
}
