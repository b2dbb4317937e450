package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// guestLayer is the proxy VM's Linux block layer as the agent sees it, built under -data: a /dev folder, a
// by-id folder and a fake sysfs tree shaped like the kernel's (scsi_host, target, scsi_device, block).
type guestLayer struct {
	cfg   config
	loops map[string]string // loop device -> backing file, mirrored in state.json
	qemu  *qemuBridge       // when set, devices go into a running qemu instead (qemubridge.go)
}

// device is one published disk: what the guest has for it until it deletes it or the disk is detached.
type device struct {
	name         string // block device name: sdX (file mode) or loopN (loop mode)
	path         string // the device node (/dev/loopN) or devDir/sdX
	loop         string // loop device, if any
	byID         string
	hctl         string
	scsiDir      string // sysfs .../target<H>:0:<T>/<H>:0:<T>:0
	blockLink    string // sysfsRoot/block/<name>
	exposed      string // the file behind the device
	materialized string // a flat copy made for a multi-layer chain, removed on withdraw
	readOnly     bool
	qemuID       string // the device in qemu (qemu bridge)
}

func newGuestLayer(cfg config) *guestLayer {
	return &guestLayer{cfg: cfg, loops: map[string]string{}}
}

// reset clears what a previous run left in the harness's own trees and creates them empty.
func (g *guestLayer) reset() error {
	for _, dir := range []string{g.cfg.devDir(), g.cfg.sysfsRoot(), g.cfg.materialDir()} {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	for _, dir := range []string{g.cfg.byIDDir(), g.cfg.materialDir(),
		filepath.Join(g.cfg.sysfsRoot(), "block"), filepath.Join(g.cfg.sysfsRoot(), "class", "scsi_host")} {
		if err := os.MkdirAll(dir, 0755); err != nil {
			return err
		}
	}
	return g.saveState()
}

// hostDir is the sysfs folder of a SCSI host: each controller sits in its own PCI slot, like on ESXi.
func (g *guestLayer) hostDir(num int, bus int32) string {
	return filepath.Join(g.cfg.sysfsRoot(), "devices", "pci0000:00", "0000:00:15.0",
		fmt.Sprintf("0000:%02x:00.0", 3+bus), fmt.Sprintf("host%d", num))
}

// addHost creates host<H>/scsi_host/host<H>/{scan,proc_name} and the class/scsi_host link.
func (g *guestLayer) addHost(num int, bus int32, driver string) error {
	if g.qemu != nil {
		return g.qemu.addController(bus, driver)
	}
	dir := filepath.Join(g.hostDir(num, bus), "scsi_host", fmt.Sprintf("host%d", num))
	if err := os.MkdirAll(dir, 0755); err != nil {
		return err
	}
	if err := writeFiles(dir, map[string]string{"scan": "", "proc_name": driver + "\n"}); err != nil {
		return err
	}
	link := filepath.Join(g.cfg.sysfsRoot(), "class", "scsi_host", fmt.Sprintf("host%d", num))
	return relink(link, dir)
}

func (g *guestLayer) removeHost(num int, bus int32) {
	if g.qemu != nil {
		g.qemu.removeController(bus)
		return
	}
	_ = os.Remove(filepath.Join(g.cfg.sysfsRoot(), "class", "scsi_host", fmt.Sprintf("host%d", num)))
	_ = os.RemoveAll(g.hostDir(num, bus))
}

func (g *guestLayer) scanFile(num int, bus int32) string {
	return filepath.Join(g.hostDir(num, bus), "scsi_host", fmt.Sprintf("host%d", num), "scan")
}

// publishRequest says what to publish and where.
type publishRequest struct {
	file      string // content file to expose
	copied    bool   // file is a materialized copy owned by the device
	uuid      string
	capacity  int64
	readOnly  bool
	host      *scsiHost
	unit      int32
	usedNames map[string]bool // sdX names taken (file mode)
	diskKey   int32           // the disk's device key (names its qemu device)
	boot      bool            // on the VM since it became the proxy (qemu booted with it)
}

// publish makes the disk appear: device node, by-id link, sysfs entries.
func (g *guestLayer) publish(req publishRequest) (*device, error) {
	if g.qemu != nil {
		return g.qemu.plug(req)
	}
	d := &device{exposed: req.file, readOnly: req.readOnly,
		hctl: fmt.Sprintf("%d:0:%d:0", req.host.num, req.unit)}
	if req.copied {
		d.materialized = req.file
	}
	if err := g.makeNode(d, req); err != nil {
		return nil, err
	}
	if err := g.makeSysfs(d, req); err != nil {
		g.withdraw(d)
		return nil, err
	}
	d.byID = filepath.Join(g.cfg.byIDDir(), wwnName(req.uuid))
	target := d.path
	if !g.cfg.loop {
		target = filepath.Join("..", "..", d.name) // as udev makes it: ../../sdb
	}
	if err := relink(d.byID, target); err != nil {
		g.withdraw(d)
		return nil, err
	}
	return d, nil
}

// makeNode attaches a loop device (loop mode) or links devDir/sdX to the file (file mode).
func (g *guestLayer) makeNode(d *device, req publishRequest) error {
	if g.cfg.loop {
		loop, err := attachLoop(req.file, req.readOnly)
		if err != nil {
			return err
		}
		d.loop, d.path, d.name = loop, loop, filepath.Base(loop)
		g.loops[loop] = req.file
		return g.saveState()
	}
	d.name = nextDiskName(req.usedNames)
	d.path = filepath.Join(g.cfg.devDir(), d.name)
	return relink(d.path, req.file)
}

// makeSysfs creates target<H>:0:<T>/<H>:0:<T>:0 with its attributes and block/<dev>, and sysfsRoot/block/<dev>.
func (g *guestLayer) makeSysfs(d *device, req publishRequest) error {
	h, u := req.host.num, req.unit
	d.scsiDir = filepath.Join(g.hostDir(h, req.host.bus), fmt.Sprintf("target%d:0:%d", h, u), d.hctl)
	blockDir := filepath.Join(d.scsiDir, "block", d.name)
	if err := os.MkdirAll(blockDir, 0755); err != nil {
		return err
	}
	ro := "0\n"
	if req.readOnly {
		ro = "1\n"
	}
	hexID := strings.TrimPrefix(wwnName(req.uuid), "wwn-0x")
	// vpd_pg80 is the binary unit serial page: 4-byte header (page 0x80, length), then the serial, which
	// with disk.EnableUUID is the disk UUID
	vpd80 := string([]byte{0, 0x80, 0, byte(len(hexID))}) + hexID
	if err := writeFiles(d.scsiDir, map[string]string{"delete": "", "rescan": "", "vendor": "VMware  \n",
		"model": "Virtual disk    \n", "rev": "2.0 \n", "state": "running\n", "wwid": "naa." + hexID + "\n",
		"vpd_pg80": vpd80}); err != nil {
		return err
	}
	if err := writeFiles(blockDir, map[string]string{"size": strconv.FormatInt(req.capacity/512, 10) + "\n", "ro": ro}); err != nil {
		return err
	}
	if err := relink(filepath.Join(blockDir, "device"), filepath.Join("..", "..", "..", d.hctl)); err != nil {
		return err
	}
	d.blockLink = filepath.Join(g.cfg.sysfsRoot(), "block", d.name)
	rel, err := filepath.Rel(filepath.Dir(d.blockLink), blockDir)
	if err != nil {
		return err
	}
	return relink(d.blockLink, rel)
}

// withdraw removes everything publish made; the guest no longer has the disk.
func (g *guestLayer) withdraw(d *device) {
	if g.qemu != nil {
		g.qemu.unplug(d)
		if d.materialized != "" {
			_ = os.Remove(d.materialized)
		}
		return
	}
	for _, p := range []string{d.byID, d.blockLink} {
		if p != "" {
			_ = os.Remove(p)
		}
	}
	if d.scsiDir != "" {
		_ = os.RemoveAll(filepath.Dir(d.scsiDir)) // the whole target<H>:0:<T>
	}
	if d.loop != "" {
		if err := detachLoop(d.loop); err != nil {
			logf("detaching %s: %v", d.loop, err)
		}
		delete(g.loops, d.loop)
		_ = g.saveState()
	} else if d.path != "" {
		_ = os.Remove(d.path)
	}
	if d.materialized != "" {
		_ = os.Remove(d.materialized)
	}
}

// nextDiskName is the lowest free sd name, as Linux hands them out: sda..sdz, sdaa...
func nextDiskName(used map[string]bool) string {
	for i := 0; ; i++ {
		name := "sd"
		if i >= 26 {
			name += string(rune('a' + i/26 - 1))
		}
		name += string(rune('a' + i%26))
		if !used[name] {
			return name
		}
	}
}

func writeFiles(dir string, files map[string]string) error {
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0644); err != nil {
			return err
		}
	}
	return nil
}

// relink (re)creates a symbolic link.
func relink(link, target string) error {
	_ = os.Remove(link)
	return os.Symlink(target, link)
}
