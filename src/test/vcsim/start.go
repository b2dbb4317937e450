package main

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
)

// runningHarness is a started harness: the SOAP server, the control server and the guest poller.
type runningHarness struct {
	h       *harness
	ready   readyInfo
	soap    *simulator.Server
	control *http.Server
	stop    chan struct{}
	trace   *os.File
}

// startHarness builds the vcsim model, extends it and starts both listeners. vcsim keeps its state in
// package globals, so there is one harness per process; run several processes for several harnesses.
func startHarness(cfg config) (*runningHarness, error) {
	if err := prepareDataDir(cfg); err != nil {
		return nil, err
	}
	h := newHarness(cfg)
	if cfg.qemuQMP != "" {
		bridge, err := newQemuBridge(cfg.qemuQMP, cfg.qemuGuest, cfg.qemuBoot)
		if err != nil {
			return nil, err
		}
		h.guest.qemu = bridge
	}
	if err := h.guest.reset(); err != nil {
		return nil, err
	}
	registerAuthzTypes()
	h.model = simulator.VPX()
	if err := h.model.Create(); err != nil {
		return nil, fmt.Errorf("creating the vcsim model: %v", err)
	}
	if err := h.installRegistryExtensions(); err != nil {
		return nil, err
	}
	fixDatastores()
	h.adoptInventory()
	rh := &runningHarness{h: h, stop: make(chan struct{})}
	if err := rh.startSOAP(); err != nil {
		return nil, err
	}
	if err := rh.startControl(); err != nil {
		return nil, err
	}
	if cfg.proxy != "" {
		if err := rh.designate(cfg.proxy); err != nil {
			return nil, err
		}
	}
	go h.runGuestPoller(rh.stop)
	return rh, nil
}

// prepareDataDir creates the data folder and checks it: not tmpfs (O_DIRECT), not in use by a live harness.
// vcsim's datastore folders are temporary folders, so TMPDIR points into the data folder.
func prepareDataDir(cfg config) error {
	if err := os.MkdirAll(cfg.datastoreDir(), 0755); err != nil {
		return err
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(cfg.dataDir, &st); err != nil {
		return err
	}
	const tmpfsMagic = 0x01021994
	if st.Type == tmpfsMagic {
		return fmt.Errorf("-data %s is on tmpfs, which has no O_DIRECT; use a disk-backed folder", cfg.dataDir)
	}
	if data, err := os.ReadFile(cfg.statePath()); err == nil {
		var prev harnessState
		if json.Unmarshal(data, &prev) == nil && prev.PID != os.Getpid() && processAlive(prev.PID) {
			return fmt.Errorf("-data %s is in use by harness pid %d", cfg.dataDir, prev.PID)
		}
	}
	if cfg.loop {
		releaseStaleLoops(cfg)
	}
	old, _ := filepath.Glob(filepath.Join(cfg.datastoreDir(), "govcsim-*"))
	for _, dir := range old { // a previous run's datastores
		_ = os.RemoveAll(dir)
	}
	return os.Setenv("TMPDIR", cfg.datastoreDir())
}

func (rh *runningHarness) startSOAP() error {
	cfg := rh.h.cfg
	cert, err := selfSignedCert()
	if err != nil {
		return err
	}
	svc := rh.h.model.Service
	svc.Listen = &url.URL{Host: cfg.listen, User: url.UserPassword(cfg.username, cfg.password)}
	svc.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	simulator.SessionIdleTimeout = 0 // the middleware enforces -idle exactly (see sessionTracker)
	var trace io.Writer
	if cfg.traceFile != "" {
		if rh.trace, err = os.OpenFile(cfg.traceFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0644); err != nil {
			return err
		}
		trace = rh.trace
	}
	rh.soap = svc.NewServer()
	// no client can have connected yet: the listener's address is not published before the READY line
	rh.soap.Server.Config.Handler = newSOAPMiddleware(rh.h, rh.soap.Server.Config.Handler, trace)
	sha1Hex, sha256Hex := fingerprints(cert.Certificate[0])
	rh.ready = readyInfo{URL: "https://" + rh.soap.URL.Host + "/sdk", SHA1: sha1Hex, SHA256: sha256Hex,
		Username: cfg.username, Password: cfg.password, DataDir: cfg.dataDir, DevDir: cfg.devDir(),
		ByIDDir: cfg.byIDDir(), SysfsRoot: cfg.sysfsRoot(), Loop: cfg.loop, QEMU: cfg.qemuQMP != "", PID: os.Getpid()}
	return nil
}

func (rh *runningHarness) startControl() error {
	l, err := net.Listen("tcp", rh.h.cfg.control)
	if err != nil {
		return fmt.Errorf("control listener: %v", err)
	}
	rh.control = &http.Server{Handler: rh.h.controlHandler()}
	go func() { _ = rh.control.Serve(l) }()
	rh.ready.Control = "http://" + l.Addr().String()
	return nil
}

func (rh *runningHarness) designate(name string) error {
	vm := findVM(name)
	if vm == nil {
		return fmt.Errorf("-proxy %q: no such VM", name)
	}
	rh.h.mu.Lock()
	defer rh.h.mu.Unlock()
	return rh.h.designateProxy(vm)
}

// shutdown detaches every loop device first (closing the SOAP server waits for requests in flight, such as
// a long WaitForUpdatesEx), then stops serving; everything else stays in the data folder.
func (rh *runningHarness) shutdown() {
	close(rh.stop)
	rh.h.mu.Lock()
	rh.h.stopped = true
	rh.h.guest.detachAll()
	if rh.h.guest.qemu != nil {
		rh.h.guest.qemu.close()
	}
	rh.h.mu.Unlock()
	_ = rh.control.Close()
	closed := make(chan struct{})
	go func() {
		rh.soap.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		logf("SOAP requests still running at shutdown; not waiting for them")
	}
	if rh.trace != nil {
		_ = rh.trace.Close()
	}
}
