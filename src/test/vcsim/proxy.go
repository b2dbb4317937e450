package main

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// proxyState is the backup proxy VM as its guest sees it: SCSI hosts for its controllers and a device for
// each attached disk. All of it is guarded by h.mu.
type proxyState struct {
	vm    moref
	hosts map[int32]*scsiHost  // by controller device key
	disks map[int32]*proxyDisk // by disk device key
}

// scsiHost is the Linux SCSI host of one SCSI controller.
type scsiHost struct {
	num     int
	ctrlKey int32
	bus     int32
	driver  string
}

// proxyDisk is one disk attached to the proxy in vCenter.
type proxyDisk struct {
	key            int32
	fileName       string
	layer          *layer
	uuid           string
	ctrlKey        int32
	unit           int32
	mode           string
	capacity       int64
	atDesignation  bool // present when the VM became the proxy
	created        bool // created on the proxy (fileOperation=create): the proxy's own disk
	hidden         bool // a "publish" fault hid it until a rescan
	deletedByGuest bool // the guest wrote 1 to its delete file
	dev            *device
}

func (pd *proxyDisk) devicePath() string {
	if pd.dev == nil {
		return ""
	}
	return pd.dev.path
}

func (p *proxyState) uses(l *layer) bool {
	for _, pd := range p.disks {
		if pd.layer == l {
			return true
		}
	}
	return false
}

func (p *proxyState) replaceLayer(old, new *layer) {
	for _, pd := range p.disks {
		if pd.layer == old {
			pd.layer = new
		}
	}
}

// disksReadingThrough lists the proxy disks whose content a consolidation of child into l would change: they
// read through l but not through child.
func (p *proxyState) disksReadingThrough(l, child *layer) []*proxyDisk {
	var out []*proxyDisk
	for _, pd := range p.sortedDisks() {
		if pd.layer != nil && pd.layer.chainContains(l) && (child == nil || !pd.layer.chainContains(child)) {
			out = append(out, pd)
		}
	}
	return out
}

func (p *proxyState) sortedDisks() []*proxyDisk {
	var out []*proxyDisk
	for _, pd := range p.disks {
		out = append(out, pd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// designateProxy makes vm the proxy and publishes its current disks. Needs h.mu.
func (h *harness) designateProxy(vm *simulator.VirtualMachine) error {
	if h.proxy != nil && h.proxy.vm == vm.Self {
		return nil
	}
	h.withdrawProxy()
	enableDiskUUID(vm)
	h.proxy = &proxyState{vm: vm.Self, hosts: map[int32]*scsiHost{}, disks: map[int32]*proxyDisk{}}
	devices := vmDevices(vm)
	if err := h.syncHosts(devices); err != nil {
		return err
	}
	for _, disk := range disksOf(devices) {
		pd := h.newProxyDisk(disk, nil)
		pd.atDesignation = true
		h.publishDisk(pd)
	}
	return nil
}

// enableDiskUUID sets disk.EnableUUID=TRUE on the proxy, as the appliance's OVF does: without it a real
// guest would not see disk UUIDs, and the agent refuses to run. A value already set is left alone, so a
// test can designate a proxy whose setting it changed on purpose.
func enableDiskUUID(vm *simulator.VirtualMachine) {
	simulator.Map.WithLock(vm, func() {
		for _, o := range vm.Config.ExtraConfig {
			if o.GetOptionValue().Key == "disk.EnableUUID" {
				return
			}
		}
		extra := append(append([]types.BaseOptionValue(nil), vm.Config.ExtraConfig...),
			&types.OptionValue{Key: "disk.EnableUUID", Value: "TRUE"})
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "config.extraConfig", Val: extra}})
	})
}

// withdrawProxy takes every device away from the guest (no violations: the proxy role ends).
func (h *harness) withdrawProxy() {
	if h.proxy == nil {
		return
	}
	for _, pd := range h.proxy.disks {
		h.unpublishDisk(pd)
	}
	for key := range h.proxy.hosts {
		h.freeHost(key)
	}
	h.proxy = nil
}

// syncHosts gives a SCSI host number to each SCSI controller seen for the first time (the lowest free
// number, as Linux does) and frees the numbers of removed controllers.
func (h *harness) syncHosts(devices object.VirtualDeviceList) error {
	present := map[int32]bool{}
	for _, d := range devices {
		if !isSCSIController(d) {
			continue
		}
		key := d.GetVirtualDevice().Key
		present[key] = true
		if h.proxy.hosts[key] != nil {
			continue
		}
		host := &scsiHost{num: h.lowestFreeHost(), ctrlKey: key, bus: busNumber(d), driver: scsiDriver(d)}
		if err := h.guest.addHost(host.num, host.bus, host.driver); err != nil {
			return err
		}
		h.proxy.hosts[key] = host
	}
	for key := range h.proxy.hosts {
		if !present[key] {
			h.freeHost(key)
		}
	}
	return nil
}

func (h *harness) lowestFreeHost() int {
	used := map[int]bool{}
	for _, host := range h.proxy.hosts {
		used[host.num] = true
	}
	n := 0
	for used[n] {
		n++
	}
	return n
}

func (h *harness) freeHost(ctrlKey int32) {
	if host := h.proxy.hosts[ctrlKey]; host != nil {
		h.guest.removeHost(host.num, host.bus)
		delete(h.proxy.hosts, ctrlKey)
	}
}

// scsiDriver is the Linux driver (proc_name) of a SCSI controller type.
func scsiDriver(c types.BaseVirtualDevice) string {
	switch c.(type) {
	case *types.ParaVirtualSCSIController:
		return "vmw_pvscsi"
	case *types.VirtualLsiLogicSASController:
		return "mptsas"
	case *types.VirtualBusLogicController:
		return "BusLogic"
	}
	return "mptspi"
}

func (h *harness) newProxyDisk(disk *types.VirtualDisk, knownBefore map[string]bool) *proxyDisk {
	b := flatBacking(disk)
	pd := &proxyDisk{key: disk.Key, ctrlKey: disk.ControllerKey, unit: unitOf(disk), capacity: diskCapacity(disk)}
	if b != nil {
		pd.fileName, pd.uuid, pd.mode = b.FileName, b.Uuid, b.DiskMode
		pd.layer = h.layers[b.FileName]
		pd.created = knownBefore != nil && !knownBefore[b.FileName]
	}
	h.proxy.disks[disk.Key] = pd
	return pd
}

// publishDisk shows the disk to the guest. A disk on a non-SCSI controller, or without content, is attached
// in vCenter but never published (the harness models SCSI hot-add only).
func (h *harness) publishDisk(pd *proxyDisk) {
	host := h.proxy.hosts[pd.ctrlKey]
	if host == nil || pd.layer == nil || pd.dev != nil || h.stopped {
		return
	}
	file, copied, err := h.exposedFile(pd)
	if err != nil {
		logf("publishing %s: %v", pd.fileName, err)
		return
	}
	req := publishRequest{file: file, copied: copied, uuid: pd.uuid, capacity: pd.layer.capacity,
		readOnly: !h.writableOnProxy(pd), host: host, unit: pd.unit, usedNames: h.usedDeviceNames(),
		diskKey: pd.key, boot: pd.atDesignation}
	dev, err := h.guest.publish(req)
	if err != nil {
		logf("publishing %s: %v", pd.fileName, err)
		return
	}
	pd.dev, pd.deletedByGuest, pd.hidden = dev, false, false
}

// exposedFile is the single file that backs the device: the layer's own file when its view is a base layer
// (the normal case, a fresh linked clone over a frozen base), else a flat copy of the chain.
func (h *harness) exposedFile(pd *proxyDisk) (string, bool, error) {
	eff := pd.layer.effective()
	if !eff.isDelta() {
		return eff.hostPath, false, nil
	}
	dst := filepath.Join(h.cfg.materialDir(), fmt.Sprintf("%s-%d.img", wwnName(pd.uuid), pd.key))
	if err := materialize(pd.layer, dst); err != nil {
		return "", false, err
	}
	return dst, true, nil
}

// writableOnProxy: persistent disks whose file is the disk itself (not a snapshot, delta or clone disk).
func (h *harness) writableOnProxy(pd *proxyDisk) bool {
	if pd.mode != string(types.VirtualDiskModePersistent) && pd.mode != string(types.VirtualDiskModeIndependent_persistent) {
		return false
	}
	l := pd.layer
	return !l.isDelta() && !h.frozen(l) && h.clones[l.owner] == nil
}

func (h *harness) usedDeviceNames() map[string]bool {
	used := map[string]bool{}
	for _, pd := range h.proxy.disks {
		if pd.dev != nil {
			used[pd.dev.name] = true
		}
	}
	return used
}

func (h *harness) unpublishDisk(pd *proxyDisk) {
	if pd.dev != nil {
		h.guest.withdraw(pd.dev)
		pd.dev = nil
	}
}
