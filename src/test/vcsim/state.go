package main

import (
	"path/filepath"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
)

// config holds the command line (see docs/vcsim-harness.md for the meaning of each flag).
type config struct {
	dataDir   string
	listen    string
	control   string
	username  string
	password  string
	proxy     string
	idle      time.Duration
	cbt       cbtLimits
	loopMode  string // auto | on | off, as given
	loop      bool   // resolved
	traceFile string
	qemuQMP   string // qemu bridge: qemu's QMP socket (qemubridge.go)
	qemuGuest string // qemu bridge: the test image's root shell on a virtio-serial port
	qemuBoot  string // qemu bridge: SCSI buses qemu booted with
}

func (c config) datastoreDir() string { return filepath.Join(c.dataDir, "datastores") }
func (c config) devDir() string       { return filepath.Join(c.dataDir, "dev") }
func (c config) byIDDir() string      { return filepath.Join(c.dataDir, "dev", "disk", "by-id") }
func (c config) sysfsRoot() string    { return filepath.Join(c.dataDir, "sys") }
func (c config) materialDir() string  { return filepath.Join(c.dataDir, "materialized") }
func (c config) statePath() string    { return filepath.Join(c.dataDir, "state.json") }

// diskRef names a VM disk: CBT state and guest writes follow it, whatever file it currently uses.
type diskRef struct {
	vm  moref
	key int32
}

// cloneRecord remembers where a clone came from (vcsim keeps no trace of it).
type cloneRecord struct {
	source   moref
	snapshot *moref
	linked   bool
}

type violation struct {
	Kind     string `json:"kind"`
	VM       string `json:"vm"`
	Disk     string `json:"disk"`
	Device   string `json:"device"`
	Snapshot string `json:"snapshot,omitempty"`
	Detail   string `json:"detail,omitempty"`
	At       string `json:"at"`
}

type rescanRecord struct {
	Host int    `json:"host"`
	Text string `json:"text"`
	At   string `json:"at"`
}

// harness is everything the harness adds to vcsim. mu guards all of it except the parts with their own lock
// (faults, calls, disabled methods, sessions), and is always taken before any simulator object lock, never
// while one is held, so the two lock families cannot deadlock.
type harness struct {
	cfg   config
	model *simulator.Model

	mu         sync.Mutex
	layers     map[string]*layer // by datastore path
	trackers   map[diskRef]*tracker
	snaps      map[moref]*snapshotRecord
	snapCount  int64
	clones     map[moref]*cloneRecord
	proxy      *proxyState
	guest      *guestLayer
	violations []violation
	rescans    []rescanRecord
	stopped    bool // shutting down: publish nothing more (no loop device may outlive the process)

	faults   *faultTable
	calls    *callCounter
	disabled *disabledMethods
	sessions *sessionTracker
	requests *requestLog
	kms      *keyProviders
}

func newHarness(cfg config) *harness {
	return &harness{
		cfg:      cfg,
		layers:   map[string]*layer{},
		trackers: map[diskRef]*tracker{},
		snaps:    map[moref]*snapshotRecord{},
		clones:   map[moref]*cloneRecord{},
		guest:    newGuestLayer(cfg),
		faults:   newFaultTable(),
		calls:    newCallCounter(),
		disabled: newDisabledMethods(),
		sessions: newSessionTracker(cfg.idle),
		requests: newRequestLog(),
		kms:      newKeyProviders(),
	}
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func (h *harness) recordViolation(v violation) {
	v.At = now()
	h.violations = append(h.violations, v)
}

// entityName is the name of a VM, host or any other entity, or its moref value once it is gone.
func entityName(ref moref) string {
	if e, ok := simulator.Map.Get(ref).(mo.Entity); ok {
		return e.Entity().Name
	}
	return ref.Value
}
