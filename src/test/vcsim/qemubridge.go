package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// qemuBridge puts the proxy's SCSI hardware into a running qemu instead of the harness's fake block layer
// (flags -qemu-qmp and -qemu-guest, for the appliance end-to-end test): the agent inside the booted appliance
// then meets the real vmw_pvscsi driver, udev and O_DIRECT on a real SCSI disk. Like ESXi it acts while
// vCenter's ReconfigVM_Task runs, so the task ends only after the hardware change happened:
//   - a PVSCSI controller added to the proxy: device_add pvscsi (a PCI hot-plug, as on ESXi);
//   - a disk attached: blockdev-add (file, then raw; read-only unless the harness publishes it writable),
//     then device_add scsi-hd on that controller's bus at the disk's unit, vendor VMware, product
//     "Virtual disk", serial = the disk UUID's 32 hex digits, wwn = its first 16 (qemu's NAA is 8 bytes);
//   - a disk detached: first asks the guest (over a virtio-serial root shell that only the test image has)
//     whether it still has a SCSI device with that serial — if so, the agent detached before deleting the
//     device in the guest, a violation — then device_del, DEVICE_DELETED, blockdev-del raw and file.
//
// Hardware present when the VM became the proxy (its boot disk, the controllers of -qemu-boot-buses) is the
// VM's own: qemu booted with it, the bridge never touches it. Every action is listed by GET /qemu.
type qemuBridge struct {
	qmpPath   string
	guestPath string
	bootBuses map[int32]bool

	mu     sync.Mutex
	qmp    *qmpConn
	shell  *guestShell
	events []bridgeEvent
}

// bridgeEvent is one action of the bridge, for GET /qemu.
type bridgeEvent struct {
	At       string `json:"at"`
	Action   string `json:"action"` // controller-add, controller-remove, disk-add, guest-check, disk-remove
	ID       string `json:"id"`     // qemu device id
	Bus      int32  `json:"bus"`
	Unit     int32  `json:"unit,omitempty"`
	UUID     string `json:"uuid,omitempty"`
	File     string `json:"file,omitempty"`
	ReadOnly bool   `json:"readOnly,omitempty"`
	GuestHad *bool  `json:"guestHad,omitempty"` // guest-check: the guest still had the device
	Millis   int64  `json:"millis"`
	Error    string `json:"error,omitempty"`
}

const qmpTimeout = 30 * time.Second

func newQemuBridge(qmpPath, guestPath, bootBuses string) (*qemuBridge, error) {
	b := &qemuBridge{qmpPath: qmpPath, guestPath: guestPath, bootBuses: map[int32]bool{}}
	for _, f := range strings.Split(bootBuses, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 3 {
			return nil, fmt.Errorf("-qemu-boot-buses: %q is not a SCSI bus number 0..3", f)
		}
		b.bootBuses[int32(n)] = true
	}
	return b, nil
}

func controllerID(bus int32) string { return fmt.Sprintf("pvscsi%d", bus) }

func (b *qemuBridge) record(e bridgeEvent, start time.Time, err error) {
	e.At, e.Millis = now(), time.Since(start).Milliseconds()
	if err != nil {
		e.Error = err.Error()
		logf("qemu bridge: %s %s: %v", e.Action, e.ID, err)
	}
	b.events = append(b.events, e)
}

func (b *qemuBridge) eventList() []bridgeEvent {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]bridgeEvent{}, b.events...)
}

// execute runs one QMP command, connecting first if needed; a broken connection is dropped for the next call.
func (b *qemuBridge) execute(cmd string, args interface{}) error {
	if b.qmp == nil {
		conn, err := dialQMP(b.qmpPath)
		if err != nil {
			return err
		}
		b.qmp = conn
	}
	_, err := b.qmp.execute(cmd, args)
	if _, isQMP := err.(*qmpError); err != nil && !isQMP {
		b.qmp.close()
		b.qmp = nil
	}
	return err
}

func (b *qemuBridge) waitDeleted(id string) error {
	if b.qmp == nil {
		return fmt.Errorf("no QMP connection")
	}
	return b.qmp.waitEvent("DEVICE_DELETED", func(data map[string]interface{}) bool { return data["device"] == id }, qmpTimeout)
}

// addController hot-plugs a PVSCSI controller for a new SCSI bus of the proxy.
func (b *qemuBridge) addController(bus int32, driver string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bootBuses[bus] {
		return nil
	}
	start, id := time.Now(), controllerID(bus)
	var err error
	if driver != "vmw_pvscsi" {
		err = fmt.Errorf("the qemu bridge mirrors PVSCSI controllers only, not %s on bus %d", driver, bus)
	} else {
		err = b.execute("device_add", map[string]interface{}{"driver": "pvscsi", "id": id})
	}
	b.record(bridgeEvent{Action: "controller-add", ID: id, Bus: bus}, start, err)
	return err
}

func (b *qemuBridge) removeController(bus int32) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bootBuses[bus] {
		return
	}
	start, id := time.Now(), controllerID(bus)
	err := b.execute("device_del", map[string]interface{}{"id": id})
	if err == nil {
		err = b.waitDeleted(id)
	}
	b.record(bridgeEvent{Action: "controller-remove", ID: id, Bus: bus}, start, err)
}

// plug attaches a disk; the device it answers carries the qemu ids that unplug needs.
func (b *qemuBridge) plug(req publishRequest) (*device, error) {
	hexID := strings.TrimPrefix(wwnName(req.uuid), "wwn-0x")
	d := &device{readOnly: req.readOnly, exposed: req.file, hctl: fmt.Sprintf("%d:0:%d:0", req.host.num, req.unit)}
	if req.copied {
		d.materialized = req.file
	}
	if req.boot {
		d.name, d.path = "boot", "qemu:boot" // the VM's own disk: qemu booted with it
		return d, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	start := time.Now()
	d.qemuID = fmt.Sprintf("disk%d", req.diskKey)
	d.name, d.path = d.qemuID, "qemu:"+d.qemuID
	err := b.plugDisk(d, req, hexID)
	b.record(bridgeEvent{Action: "disk-add", ID: d.qemuID, Bus: req.host.bus, Unit: req.unit, UUID: hexID,
		File: req.file, ReadOnly: req.readOnly}, start, err)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (b *qemuBridge) plugDisk(d *device, req publishRequest, hexID string) error {
	if len(hexID) != 32 {
		return fmt.Errorf("disk UUID %q does not have 32 hex digits", req.uuid)
	}
	wwn, err := strconv.ParseUint(hexID[:16], 16, 64)
	if err != nil {
		return fmt.Errorf("disk UUID %q: %v", req.uuid, err)
	}
	file, raw := "f"+d.qemuID, "r"+d.qemuID
	if err := b.execute("blockdev-add", map[string]interface{}{"driver": "file", "filename": req.file,
		"node-name": file, "read-only": req.readOnly, "locking": "off"}); err != nil {
		return err
	}
	if err := b.execute("blockdev-add", map[string]interface{}{"driver": "raw", "file": file, "node-name": raw,
		"read-only": req.readOnly}); err != nil {
		_ = b.execute("blockdev-del", map[string]interface{}{"node-name": file})
		return err
	}
	err = b.execute("device_add", map[string]interface{}{"driver": "scsi-hd", "id": d.qemuID, "drive": raw,
		"bus": controllerID(req.host.bus) + ".0", "scsi-id": req.unit, "lun": 0, "vendor": "VMware",
		"product": "Virtual disk", "ver": "2.0", "serial": hexID, "wwn": wwn})
	if err != nil {
		_ = b.execute("blockdev-del", map[string]interface{}{"node-name": raw})
		_ = b.execute("blockdev-del", map[string]interface{}{"node-name": file})
	}
	return err
}

// unplug removes a disk from the VM, as ESXi does on detach, and closes its file.
func (b *qemuBridge) unplug(d *device) {
	if d.qemuID == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	start := time.Now()
	err := b.execute("device_del", map[string]interface{}{"id": d.qemuID})
	if err == nil {
		err = b.waitDeleted(d.qemuID)
	}
	for _, node := range []string{"r" + d.qemuID, "f" + d.qemuID} {
		if e := b.execute("blockdev-del", map[string]interface{}{"node-name": node}); e != nil && err == nil {
			err = e
		}
	}
	b.record(bridgeEvent{Action: "disk-remove", ID: d.qemuID}, start, err)
}

// guestHas asks the guest whether any SCSI device still carries this disk's serial. An error (no answer)
// counts as "still there": a detach the bridge cannot vouch for is not a clean one.
func (b *qemuBridge) guestHas(d *device, uuid string) (bool, string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	start := time.Now()
	hexID := strings.TrimPrefix(wwnName(uuid), "wwn-0x")
	out, err := b.guestRun("grep -ls " + hexID + " /sys/bus/scsi/devices/[0-9]*:*/vpd_pg80; true")
	had := err != nil || strings.TrimSpace(out) != ""
	b.record(bridgeEvent{Action: "guest-check", ID: d.qemuID, UUID: hexID, GuestHad: &had}, start, err)
	if err != nil {
		return true, fmt.Sprintf("the guest could not be asked whether it still had the device: %v", err)
	}
	return had, strings.TrimSpace(out)
}

func (b *qemuBridge) guestRun(cmd string) (string, error) {
	if b.guestPath == "" {
		return "", fmt.Errorf("no -qemu-guest channel")
	}
	if b.shell == nil {
		shell, err := dialGuestShell(b.guestPath)
		if err != nil {
			return "", err
		}
		b.shell = shell
	}
	out, err := b.shell.run(cmd, 20*time.Second)
	if err != nil {
		b.shell.close()
		b.shell = nil
	}
	return out, err
}

func (b *qemuBridge) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.qmp != nil {
		b.qmp.close()
	}
	if b.shell != nil {
		b.shell.close()
	}
}

// getQemuEvents is GET /qemu: every action of the qemu bridge, oldest first (404 without -qemu-qmp).
func (h *harness) getQemuEvents(w http.ResponseWriter, _ *http.Request) {
	if h.guest.qemu == nil {
		writeError(w, http.StatusNotFound, "this harness runs without -qemu-qmp")
		return
	}
	writeJSON(w, http.StatusOK, h.guest.qemu.eventList())
}
