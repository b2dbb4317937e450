package main

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/vim25/types"
)

// tracker is the changed-block-tracking state of one VM disk. It lives with the VM disk (VM moref + device
// key), not with a file, so it survives the disk moving onto snapshot deltas and back. Every guest write gets
// the next sequence number; a changeId "<id>/<seq>" names the state after write number seq.
type tracker struct {
	id     string
	seq    int64
	writes []loggedWrite
}

type loggedWrite struct {
	seq        int64
	start, end int64
}

// newTracker makes a tracker with a fresh id in the form vSphere uses ("52 xx xx xx xx xx xx xx-xx ...").
func newTracker() *tracker {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the kernel's random source does not fail on Linux
	}
	b[0] = 0x52
	hex := func(part []byte) string {
		words := make([]string, len(part))
		for i, x := range part {
			words[i] = fmt.Sprintf("%02x", x)
		}
		return strings.Join(words, " ")
	}
	return &tracker{id: hex(b[:8]) + "-" + hex(b[8:])}
}

// record logs a guest write of [start, end) and returns its sequence number.
func (t *tracker) record(start, end int64) int64 {
	t.seq++
	t.writes = append(t.writes, loggedWrite{seq: t.seq, start: start, end: end})
	return t.seq
}

func (t *tracker) changeID(seq int64) string {
	return t.id + "/" + strconv.FormatInt(seq, 10)
}

// changedBetween is the byte-exact set written by writes after seq from and up to seq to.
func (t *tracker) changedBetween(from, to int64) intervalSet {
	var out intervalSet
	for _, w := range t.writes {
		if w.seq > from && w.seq <= to {
			out.add(w.start, w.end)
		}
	}
	return out
}

// parseChangeID splits "<tracking id>/<seq>"; ok is false for anything else.
func parseChangeID(s string) (id string, seq int64, ok bool) {
	i := strings.LastIndex(s, "/")
	if i <= 0 {
		return "", 0, false
	}
	seq, err := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil || seq < 0 {
		return "", 0, false
	}
	return s[:i], seq, true
}

// cbtLimits are the harness's -cbt-* flags: how QueryChangedDiskAreas shapes its answer.
type cbtLimits struct {
	block      int64 // report whole blocks of this size
	window     int64 // cover at most this many bytes per call
	maxExtents int   // return at most this many extents per call
}

// answer shapes a set of changed (or allocated) bytes into one QueryChangedDiskAreas page starting at start:
// rounded out to blocks, clipped to the window, and cut after maxExtents extents. length is the part of the
// disk this page covers, so the caller continues at start+length until it reaches the capacity.
func (c cbtLimits) answer(areas intervalSet, start, capacity int64) types.DiskChangeInfo {
	windowEnd := capacity
	if c.window > 0 && start+c.window < capacity {
		windowEnd = start + c.window
	}
	page := areas.roundOut(c.block, capacity).clip(start, windowEnd).spans
	if c.maxExtents > 0 && len(page) > c.maxExtents {
		page = page[:c.maxExtents]
		windowEnd = page[len(page)-1].end
	}
	info := types.DiskChangeInfo{StartOffset: start, Length: windowEnd - start}
	for _, sp := range page {
		info.ChangedArea = append(info.ChangedArea, types.DiskChangeExtent{Start: sp.start, Length: sp.length()})
	}
	return info
}
