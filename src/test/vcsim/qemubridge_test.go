package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// fakeQemu answers QMP like qemu 7.2 (greeting, {"return":{}}, DEVICE_DELETED after device_del) and records
// every command; it refuses commands listed in refuse.
type fakeQemu struct {
	mu       sync.Mutex
	commands []map[string]interface{}
	refuse   map[string]bool
}

func (f *fakeQemu) serve(t *testing.T, path string) {
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go f.session(conn)
		}
	}()
}

func (f *fakeQemu) session(conn net.Conn) {
	defer conn.Close()
	fmt.Fprintf(conn, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n")
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return
		}
		var cmd map[string]interface{}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber() // the wwn must arrive exactly: it is a 64-bit integer
		_ = dec.Decode(&cmd)
		f.mu.Lock()
		f.commands = append(f.commands, cmd)
		refused := f.refuse[cmd["execute"].(string)]
		f.mu.Unlock()
		if refused {
			fmt.Fprintf(conn, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"refused\"}}\r\n")
			continue
		}
		if cmd["execute"] == "device_del" {
			id := cmd["arguments"].(map[string]interface{})["id"]
			fmt.Fprintf(conn, "{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": %q}}\r\n", id)
		}
		fmt.Fprintf(conn, "{\"return\": {}}\r\n")
	}
}

func (f *fakeQemu) executed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.commands {
		args, _ := json.Marshal(c["arguments"])
		out = append(out, fmt.Sprintf("%s %s", c["execute"], args))
	}
	return out
}

// fakeGuest is the test image's shell: it answers each command with the output given for it, after some
// stale output of an earlier client, as a real port can hold.
func fakeGuest(t *testing.T, path string, output func(cmd string) string) {
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	markers := regexp.MustCompile(`^echo (__BEGIN_\S+); \( (.*)$`)
	go func() {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(conn, "stale output 6000c29aaaaaaaaaaaaaaaaaaaaaaaaa __END_old_1__ rc=0\n")
		r := bufio.NewReader(conn)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			m := markers.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			tail, _ := r.ReadString('\n') // ") </dev/null 2>&1; echo "__END_..__ rc=$?""
			end := regexp.MustCompile(`"(__END_\S+) rc=`).FindStringSubmatch(tail)
			fmt.Fprintf(conn, "%s\n%s%s rc=0\n", m[1], output(m[2]), end[1])
		}
	}()
}

func testBridge(t *testing.T) (*qemuBridge, *fakeQemu, string) {
	// not t.TempDir(): other tests point TMPDIR into a deep data folder, and a socket path has 107 bytes at most
	dir, err := os.MkdirTemp("/tmp", "qbridge")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	q := &fakeQemu{refuse: map[string]bool{}}
	q.serve(t, filepath.Join(dir, "qmp.sock"))
	b, err := newQemuBridge(filepath.Join(dir, "qmp.sock"), filepath.Join(dir, "guest.sock"), "0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.close)
	return b, q, filepath.Join(dir, "guest.sock")
}

func TestQemuBridgePlugsADiskAsESXiPresentsIt(t *testing.T) {
	b, q, _ := testBridge(t)
	host := &scsiHost{num: 2, bus: 1, driver: "vmw_pvscsi"}
	if err := b.addController(1, "vmw_pvscsi"); err != nil {
		t.Fatal(err)
	}
	d, err := b.plug(publishRequest{file: "/ds/clone.vmdk", uuid: "6000C291-295c-6965-9cf4-6ec949b3b9d3",
		readOnly: true, host: host, unit: 3, diskKey: 2001})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`qmp_capabilities null`,
		`device_add {"driver":"pvscsi","id":"pvscsi1"}`,
		`blockdev-add {"driver":"file","filename":"/ds/clone.vmdk","locking":"off","node-name":"fdisk2001","read-only":true}`,
		`blockdev-add {"driver":"raw","file":"fdisk2001","node-name":"rdisk2001","read-only":true}`,
		`device_add {"bus":"pvscsi1.0","drive":"rdisk2001","driver":"scsi-hd","id":"disk2001","lun":0,"product":"Virtual disk","scsi-id":3,"serial":"6000c291295c69659cf46ec949b3b9d3","vendor":"VMware","ver":"2.0","wwn":6917742956361050469}`,
	}
	if got := q.executed(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("QMP commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d.qemuID != "disk2001" || d.hctl != "2:0:3:0" {
		t.Fatalf("device %+v", d)
	}
	b.unplug(d)
	got := q.executed()[len(want):]
	wantDel := []string{`device_del {"id":"disk2001"}`, `blockdev-del {"node-name":"rdisk2001"}`,
		`blockdev-del {"node-name":"fdisk2001"}`}
	if strings.Join(got, "\n") != strings.Join(wantDel, "\n") {
		t.Fatalf("QMP commands on detach:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantDel, "\n"))
	}
	for _, e := range b.eventList() {
		if e.Error != "" {
			t.Fatalf("bridge event with error: %+v", e)
		}
	}
}

func TestQemuBridgeLeavesBootHardwareAloneAndUndoesAFailedPlug(t *testing.T) {
	b, q, _ := testBridge(t)
	if err := b.addController(0, "vmw_pvscsi"); err != nil {
		t.Fatal(err)
	}
	host := &scsiHost{num: 0, bus: 0, driver: "vmw_pvscsi"}
	boot, err := b.plug(publishRequest{file: "/ds/os.vmdk", uuid: "6000C29a-0000-0000-0000-000000000001",
		host: host, unit: 0, diskKey: 2000, boot: true})
	if err != nil || boot.qemuID != "" {
		t.Fatalf("boot disk: %+v %v", boot, err)
	}
	if got := q.executed(); len(got) != 0 {
		t.Fatalf("boot hardware touched: %v", got)
	}
	q.refuse["device_add"] = true
	if _, err := b.plug(publishRequest{file: "/ds/d.vmdk", uuid: "6000C29b-0000-0000-0000-000000000002",
		host: host, unit: 1, diskKey: 2002}); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("plug error = %v", err)
	}
	got := q.executed()
	if last := got[len(got)-2:]; last[0] != `blockdev-del {"node-name":"rdisk2002"}` || last[1] != `blockdev-del {"node-name":"fdisk2002"}` {
		t.Fatalf("a refused device_add must remove its block nodes: %v", got)
	}
	if err := b.addController(2, "mptspi"); err == nil {
		t.Fatal("a non-PVSCSI controller cannot be mirrored and must say so")
	}
}

func TestQemuBridgeAsksTheGuestWhetherItStillHasTheDisk(t *testing.T) {
	b, _, guestPath := testBridge(t)
	present := map[string]bool{"6000c29bbbbbbbbbbbbbbbbbbbbbbbbb": true}
	fakeGuest(t, guestPath, func(cmd string) string {
		for serial := range present {
			if strings.Contains(cmd, serial) {
				return "/sys/bus/scsi/devices/2:0:1:0/vpd_pg80\n"
			}
		}
		return ""
	})
	d := &device{qemuID: "disk1"}
	if had, _ := b.guestHas(d, "6000C29a-aaaa-aaaa-aaaa-aaaaaaaaaaaa"); had {
		t.Fatal("a disk the guest deleted was reported present (stale output counted?)")
	}
	if had, seen := b.guestHas(d, "6000C29b-bbbb-bbbb-bbbb-bbbbbbbbbbbb"); !had || !strings.Contains(seen, "2:0:1:0") {
		t.Fatalf("a disk the guest still has was reported gone: %v %q", had, seen)
	}
}

func TestQemuBridgeCountsAnUnreachableGuestAsStillHavingTheDisk(t *testing.T) {
	b, _, _ := testBridge(t) // nobody listens on the guest socket
	if had, why := b.guestHas(&device{qemuID: "disk1"}, "6000C29a-aaaa-aaaa-aaaa-aaaaaaaaaaaa"); !had ||
		!strings.Contains(why, "could not be asked") {
		t.Fatalf("unreachable guest: %v %q", had, why)
	}
}
