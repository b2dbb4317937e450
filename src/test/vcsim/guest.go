package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The guest side of the proxy: the harness plays the Linux kernel, watching the sysfs files the agent writes.

const guestPollInterval = 20 * time.Millisecond

// runGuestPoller polls until stop is closed.
func (h *harness) runGuestPoller(stop <-chan struct{}) {
	t := time.NewTicker(guestPollInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			h.mu.Lock()
			h.pollGuest()
			h.mu.Unlock()
		}
	}
}

// pollGuest handles "1" written to a delete file and anything written to a host's scan file. Needs h.mu.
func (h *harness) pollGuest() {
	if h.proxy == nil {
		return
	}
	for _, pd := range h.proxy.sortedDisks() {
		if pd.dev == nil || pd.dev.scsiDir == "" {
			continue
		}
		text, err := os.ReadFile(filepath.Join(pd.dev.scsiDir, "delete"))
		if err == nil && strings.TrimSpace(string(text)) == "1" {
			h.unpublishDisk(pd)
			pd.deletedByGuest = true
		}
	}
	for _, host := range h.proxy.hosts {
		scan := h.guest.scanFile(host.num, host.bus)
		text, err := os.ReadFile(scan)
		if err != nil || len(text) == 0 {
			continue
		}
		_ = os.WriteFile(scan, nil, 0644)
		h.rescans = append(h.rescans, rescanRecord{Host: host.num, Text: strings.TrimSpace(string(text)), At: now()})
		h.rescanHost(host, string(text))
	}
}

// rescanHost brings back the disks of this controller that are attached in vCenter but that the guest does
// not have (it deleted them, or a publish fault hid them). "- - -" scans everything; "C T L" one target.
func (h *harness) rescanHost(host *scsiHost, text string) {
	target := int32(-1)
	if f := strings.Fields(text); len(f) == 3 && f[1] != "-" {
		if t, err := strconv.Atoi(f[1]); err == nil {
			target = int32(t)
		}
	}
	for _, pd := range h.proxy.sortedDisks() {
		if pd.ctrlKey != host.ctrlKey || pd.dev != nil || (target >= 0 && pd.unit != target) {
			continue
		}
		h.publishDisk(pd)
	}
}
