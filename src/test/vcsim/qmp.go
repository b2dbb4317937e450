package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"strings"
	"time"
)

// qmpConn is one QMP session on qemu's monitor socket: newline-delimited JSON, replies in order, events
// interleaved (kept until someone waits for them).
type qmpConn struct {
	conn    net.Conn
	r       *bufio.Reader
	pending []qmpMessage
}

type qmpMessage struct {
	Return json.RawMessage        `json:"return"`
	Error  *qmpError              `json:"error"`
	Event  string                 `json:"event"`
	Data   map[string]interface{} `json:"data"`
	QMP    json.RawMessage        `json:"QMP"`
}

// qmpError is qemu's answer to a command it refused; the connection stays usable.
type qmpError struct {
	Class string `json:"class"`
	Desc  string `json:"desc"`
}

func (e *qmpError) Error() string { return "qemu: " + e.Class + ": " + e.Desc }

func dialQMP(path string) (*qmpConn, error) {
	conn, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("QMP socket %s: %v", path, err)
	}
	q := &qmpConn{conn: conn, r: bufio.NewReader(conn)}
	greeting, err := q.read(qmpTimeout)
	if err == nil && greeting.QMP == nil {
		err = fmt.Errorf("no QMP greeting on %s", path)
	}
	if err == nil {
		_, err = q.execute("qmp_capabilities", nil)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return q, nil
}

func (q *qmpConn) read(timeout time.Duration) (qmpMessage, error) {
	var m qmpMessage
	_ = q.conn.SetReadDeadline(time.Now().Add(timeout))
	line, err := q.r.ReadBytes('\n')
	if err != nil {
		return m, fmt.Errorf("reading QMP: %v", err)
	}
	if err := json.Unmarshal(line, &m); err != nil {
		return m, fmt.Errorf("QMP sent %q: %v", strings.TrimSpace(string(line)), err)
	}
	return m, nil
}

func (q *qmpConn) execute(cmd string, args interface{}) (json.RawMessage, error) {
	req := map[string]interface{}{"execute": cmd}
	if args != nil {
		req["arguments"] = args
	}
	line, _ := json.Marshal(req)
	_ = q.conn.SetWriteDeadline(time.Now().Add(qmpTimeout))
	if _, err := q.conn.Write(append(line, '\n')); err != nil {
		return nil, fmt.Errorf("writing QMP: %v", err)
	}
	for {
		m, err := q.read(qmpTimeout)
		if err != nil {
			return nil, err
		}
		switch {
		case m.Event != "":
			q.pending = append(q.pending, m)
		case m.Error != nil:
			return nil, m.Error
		case m.Return != nil:
			return m.Return, nil
		}
	}
}

func (q *qmpConn) waitEvent(name string, match func(map[string]interface{}) bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		for i, m := range q.pending {
			if m.Event == name && match(m.Data) {
				q.pending = append(q.pending[:i], q.pending[i+1:]...)
				return nil
			}
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("no %s event within %v", name, timeout)
		}
		m, err := q.read(left)
		if err != nil {
			return err
		}
		if m.Event != "" {
			q.pending = append(q.pending, m)
		}
	}
}

func (q *qmpConn) close() { _ = q.conn.Close() }

// guestShell is a root shell the test image runs on a virtio-serial port (never part of the OVA): each
// command's output ends with a marker line carrying its exit status.
type guestShell struct {
	conn net.Conn
	r    *bufio.Reader
	tag  string
	n    int
}

func dialGuestShell(path string) (*guestShell, error) {
	conn, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("guest channel %s: %v", path, err)
	}
	return &guestShell{conn: conn, r: bufio.NewReader(conn), tag: fmt.Sprintf("%08x", rand.Uint32())}, nil
}

// run answers the command's output; a non-zero exit status is an error. The output is what comes between
// this command's begin and end markers: the port may still hold output of an earlier client's commands.
func (s *guestShell) run(cmd string, timeout time.Duration) (string, error) {
	s.n++
	begin := fmt.Sprintf("__BEGIN_%s_%d__", s.tag, s.n)
	marker := fmt.Sprintf("__END_%s_%d__", s.tag, s.n)
	_ = s.conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(s.conn, "echo %s; ( %s\n) </dev/null 2>&1; echo \"%s rc=$?\"\n", begin, cmd, marker); err != nil {
		return "", fmt.Errorf("writing to the guest: %v", err)
	}
	var out strings.Builder
	started := false
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return out.String(), fmt.Errorf("reading from the guest: %v", err)
		}
		if !started {
			started = strings.Contains(line, begin)
			continue
		}
		if i := strings.Index(line, marker+" rc="); i >= 0 {
			out.WriteString(line[:i])
			if rc := strings.TrimSpace(line[i+len(marker)+4:]); rc != "0" {
				return out.String(), fmt.Errorf("guest command %q exited %s: %s", cmd, rc, out.String())
			}
			return out.String(), nil
		}
		out.WriteString(line)
	}
}

func (s *guestShell) close() { _ = s.conn.Close() }
