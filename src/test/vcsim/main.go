// Command vcsim is the project's vCenter simulator harness: govmomi's vcsim (0.24.2) extended with disk
// content, snapshots that freeze it, changed block tracking, the methods a HotAdd backup proxy calls that
// vcsim lacks, fixes for vcsim bugs, and a fake Linux block layer on the proxy VM.
// The contract with the Java tests is docs/vcsim-harness.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

func main() {
	log.SetPrefix("vcsim: ")
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "vcsim:", err)
		os.Exit(2)
	}
	// before anything is started: a supervisor may signal as soon as it has read the READY line
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	rh, err := startHarness(cfg)
	if err != nil {
		log.Fatalf("start: %v", err)
	}
	line, _ := json.Marshal(rh.ready)
	fmt.Printf("VCSIM_READY %s\n", line) // the only line this process writes on stdout

	sig := <-signals
	log.Printf("%v: detaching loop devices and stopping", sig)
	rh.shutdown()
	os.Exit(0)
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("vcsim", flag.ContinueOnError)
	fs.StringVar(&cfg.dataDir, "data", "", "folder for everything the harness creates (not tmpfs)")
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:0", "SOAP listener (https)")
	fs.StringVar(&cfg.control, "control", "127.0.0.1:0", "control listener (plain http, loopback only)")
	fs.StringVar(&cfg.username, "username", "user", "the only user name Login accepts")
	fs.StringVar(&cfg.password, "password", "pass", "the only password Login accepts")
	fs.StringVar(&cfg.proxy, "proxy", "", "name of the VM that plays the backup proxy")
	fs.DurationVar(&cfg.idle, "idle", 0, "session idle timeout (0 = never)")
	fs.Int64Var(&cfg.cbt.block, "cbt-block", 65536, "CBT granularity in bytes")
	fs.Int64Var(&cfg.cbt.window, "cbt-window", 4<<30, "most bytes of disk one QueryChangedDiskAreas call covers")
	fs.IntVar(&cfg.cbt.maxExtents, "cbt-max-extents", 4096, "most extents one QueryChangedDiskAreas call returns")
	fs.StringVar(&cfg.loopMode, "loop", "auto", "publish disks as loop devices: auto (when root), on, off")
	fs.StringVar(&cfg.traceFile, "trace", "", "file for one line per SOAP request")
	fs.StringVar(&cfg.qemuQMP, "qemu-qmp", "", "put the proxy's controllers and disks into the qemu of this QMP socket")
	fs.StringVar(&cfg.qemuGuest, "qemu-guest", "", "socket of a root shell in that qemu guest (virtio-serial)")
	fs.StringVar(&cfg.qemuBoot, "qemu-boot-buses", "0", "SCSI buses of the proxy that qemu booted with")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return cfg, cfg.validate()
}

func (c *config) validate() error {
	if c.dataDir == "" {
		return fmt.Errorf("-data is required")
	}
	abs, err := filepath.Abs(c.dataDir)
	if err != nil {
		return err
	}
	c.dataDir = abs
	if c.cbt.block <= 0 || c.cbt.window <= 0 || c.cbt.maxExtents <= 0 {
		return fmt.Errorf("-cbt-block, -cbt-window and -cbt-max-extents must be positive")
	}
	if c.username == "" || c.password == "" {
		return fmt.Errorf("-username and -password must not be empty")
	}
	if c.idle < 0 {
		return fmt.Errorf("-idle must not be negative")
	}
	if err := loopbackOnly(c.control); err != nil {
		return err
	}
	if c.qemuQMP != "" {
		c.loopMode = "off" // the proxy's disks live in qemu
	}
	return c.resolveLoop()
}

func (c *config) resolveLoop() error {
	switch c.loopMode {
	case "on":
		if err := loopAvailable(); err != nil {
			return fmt.Errorf("-loop on: %v", err)
		}
		c.loop = true
	case "auto":
		c.loop = loopAvailable() == nil
	case "off":
		c.loop = false
	default:
		return fmt.Errorf("-loop must be auto, on or off, not %q", c.loopMode)
	}
	return nil
}

// loopbackOnly refuses a control address that is reachable from other machines: the API has no auth.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-control %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-control must be a loopback address, not %q", addr)
	}
	return nil
}

// readyInfo is the VCSIM_READY line.
type readyInfo struct {
	URL       string `json:"url"`
	SHA1      string `json:"sha1"`
	SHA256    string `json:"sha256"`
	Control   string `json:"control"`
	Username  string `json:"username"`
	Password  string `json:"password"`
	DataDir   string `json:"dataDir"`
	DevDir    string `json:"devDir"`
	ByIDDir   string `json:"byIdDir"`
	SysfsRoot string `json:"sysfsRoot"`
	Loop      bool   `json:"loop"`
	QEMU      bool   `json:"qemu,omitempty"`
	PID       int    `json:"pid"`
}
