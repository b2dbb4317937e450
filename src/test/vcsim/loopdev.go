package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

var logf = log.Printf

// attachLoop runs losetup. --find races with other processes (several harnesses run in parallel), so a
// failed attempt is retried a few times.
func attachLoop(file string, readOnly bool) (string, error) {
	args := []string{"--find", "--show", "--direct-io=on"}
	if readOnly {
		args = append(args, "--read-only")
	}
	args = append(args, file)
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		out, err := exec.Command("losetup", args...).Output()
		if err == nil {
			return strings.TrimSpace(string(out)), nil
		}
		lastErr = fmt.Errorf("losetup %s: %v %s", strings.Join(args, " "), err, stderrOf(err))
		time.Sleep(time.Duration(10*(attempt+1)) * time.Millisecond)
	}
	return "", lastErr
}

func detachLoop(loop string) error {
	if out, err := exec.Command("losetup", "-d", loop).CombinedOutput(); err != nil {
		return fmt.Errorf("losetup -d %s: %v %s", loop, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}

// loopAvailable tells whether loop devices can be used here: root, losetup on PATH, /dev/loop-control.
func loopAvailable() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("loop devices need root")
	}
	if _, err := exec.LookPath("losetup"); err != nil {
		return fmt.Errorf("losetup not found (util-linux mount package)")
	}
	if _, err := os.Stat("/dev/loop-control"); err != nil {
		return fmt.Errorf("no /dev/loop-control: %v", err)
	}
	return nil
}

// harnessState is state.json: the loop devices this process holds, so that a supervisor can release them if
// the harness is killed with SIGKILL.
type harnessState struct {
	PID   int         `json:"pid"`
	Loops []loopEntry `json:"loops"`
}

type loopEntry struct {
	Device string `json:"device"`
	File   string `json:"file"`
}

// saveState writes state.json atomically (write, then rename), so a reader never sees half a file.
func (g *guestLayer) saveState() error {
	st := harnessState{PID: os.Getpid(), Loops: []loopEntry{}}
	for dev, file := range g.loops {
		st.Loops = append(st.Loops, loopEntry{Device: dev, File: file})
	}
	sort.Slice(st.Loops, func(i, j int) bool { return st.Loops[i].Device < st.Loops[j].Device })
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := g.cfg.statePath() + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0644); err != nil {
		return err
	}
	return os.Rename(tmp, g.cfg.statePath())
}

// releaseStaleLoops detaches the loop devices a previous harness on this data folder left behind when it was
// killed, if that process is gone and the device still points into this data folder.
func releaseStaleLoops(cfg config) {
	data, err := os.ReadFile(cfg.statePath())
	if err != nil {
		return
	}
	var st harnessState
	if json.Unmarshal(data, &st) != nil || st.PID == os.Getpid() || processAlive(st.PID) {
		return
	}
	for _, l := range st.Loops {
		back, err := os.ReadFile(filepath.Join("/sys/block", filepath.Base(l.Device), "loop", "backing_file"))
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(back)), cfg.dataDir) {
			continue
		}
		if err := detachLoop(l.Device); err != nil {
			logf("releasing stale %s: %v", l.Device, err)
		}
	}
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}

// detachAll releases every loop device at shutdown.
func (g *guestLayer) detachAll() {
	for loop := range g.loops {
		if err := detachLoop(loop); err != nil {
			logf("%v", err)
		}
		delete(g.loops, loop)
	}
	_ = g.saveState()
}
