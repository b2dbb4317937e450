package main

import (
	"fmt"
	"os"

	"github.com/vmware/govmomi/vim25/types"
)

// copyChunk is the buffer size for content copies (consolidation, materialization, hashing).
const copyChunk = 1 << 20

// layer is the content of one disk file on a datastore. A base layer holds all its bytes in its host file.
// A delta layer (a snapshot's redo log or a linked clone's child disk) holds only the byte ranges written to
// it since it was created; every other byte reads from its parent. Snapshots therefore cost nothing at
// creation time, however large the disk, and writes are copy-on-write at byte granularity.
type layer struct {
	path     string // datastore path, e.g. "[LocalDS_0] vm1/disk1.vmdk"
	hostPath string // the content file on the host (the "-flat.vmdk" beside the descriptor)
	file     *os.File
	capacity int64
	parent   *layer
	written  intervalSet // delta layers only
	uuid     string      // the vmdk's disk UUID (ddb.uuid); deltas of a snapshot share their base's
	owner    types.ManagedObjectReference
}

func (l *layer) isDelta() bool { return l.parent != nil }

// readAt fills p with the layer's view at off: its own written bytes, the rest from the chain below.
func (l *layer) readAt(p []byte, off int64) error {
	end := off + int64(len(p))
	if !l.isDelta() {
		return readFull(l.file, p, off)
	}
	for _, sp := range l.written.clip(off, end).spans {
		if err := readFull(l.file, p[sp.start-off:sp.end-off], sp.start); err != nil {
			return err
		}
	}
	for _, gap := range l.written.gaps(off, end) {
		if err := l.parent.readAt(p[gap.start-off:gap.end-off], gap.start); err != nil {
			return err
		}
	}
	return nil
}

// writeAt stores p at off in this layer's own file; a delta remembers which bytes are now its own.
func (l *layer) writeAt(p []byte, off int64) error {
	if _, err := l.file.WriteAt(p, off); err != nil {
		return err
	}
	if l.isDelta() {
		l.written.add(off, off+int64(len(p)))
	}
	return nil
}

// allocated is the set of bytes of the view that hold data: the data regions of the base file plus every
// range written to a delta of the chain. Bytes beyond the capacity are never reported.
func (l *layer) allocated() (intervalSet, error) {
	if !l.isDelta() {
		return dataRegions(l.file, l.capacity)
	}
	below, err := l.parent.allocated()
	if err != nil {
		return below, err
	}
	out := below.clip(0, l.capacity)
	out.addSet(l.written.clip(0, l.capacity))
	return out, nil
}

// effective skips deltas nobody wrote to: their view is exactly their parent's, so the parent's file can
// stand in for them (a fresh linked clone is exposed as its frozen base file, without a copy).
func (l *layer) effective() *layer {
	for l.isDelta() && l.written.isEmpty() {
		l = l.parent
	}
	return l
}

// chainContains tells whether x is l or one of the layers l reads through.
func (l *layer) chainContains(x *layer) bool {
	for c := l; c != nil; c = c.parent {
		if c == x {
			return true
		}
	}
	return false
}

// copyRange copies [start, end) of src's view into dst's own file (dst records it if it is a delta).
func copyRange(dst, src *layer, start, end int64, buf []byte) error {
	for pos := start; pos < end; {
		n := min64(int64(len(buf)), end-pos)
		if err := src.readAt(buf[:n], pos); err != nil {
			return err
		}
		if err := dst.writeAt(buf[:n], pos); err != nil {
			return err
		}
		pos += n
	}
	return nil
}

// mergeInto applies a delta's own writes to its parent: O(changed bytes). Afterwards the parent's view equals
// the delta's former view; the caller re-points users of the delta at the parent and drops the delta.
func mergeInto(delta *layer) error {
	if !delta.isDelta() {
		return fmt.Errorf("%s is not a delta disk", delta.path)
	}
	buf := make([]byte, copyChunk)
	own := &layer{path: delta.path, file: delta.file, capacity: delta.capacity} // reads only its own file
	for _, sp := range delta.written.spans {
		if err := copyRange(delta.parent, own, sp.start, sp.end, buf); err != nil {
			return fmt.Errorf("consolidating %s into %s: %v", delta.path, delta.parent.path, err)
		}
	}
	return nil
}

// materialize writes the layer's whole view into a new sparse file at dst (O(allocated bytes)), for the
// cases where one file has to stand for a chain: a loop device, or a full clone.
func materialize(l *layer, dst string) error {
	areas, err := l.allocated()
	if err != nil {
		return err
	}
	f, err := createSparse(dst, l.capacity)
	if err != nil {
		return err
	}
	defer f.Close()
	out := &layer{path: dst, file: f, capacity: l.capacity}
	buf := make([]byte, copyChunk)
	for _, sp := range areas.spans {
		if err := copyRange(out, l, sp.start, sp.end, buf); err != nil {
			return err
		}
	}
	return f.Sync()
}

// forEachChunk walks [start, end) of the view in order, giving allocated data as read and holes as zero
// buffers, so that a 1 TiB sparse disk is hashed without reading a terabyte of holes from the filesystem.
func forEachChunk(l *layer, start, end int64, fn func([]byte) error) error {
	areas, err := l.allocated()
	if err != nil {
		return err
	}
	buf := make([]byte, copyChunk)
	zeros := make([]byte, copyChunk)
	emit := func(from, to int64, data bool) error {
		for pos := from; pos < to; {
			n := min64(copyChunk, to-pos)
			chunk := zeros[:n]
			if data {
				chunk = buf[:n]
				if err := l.readAt(chunk, pos); err != nil {
					return err
				}
			}
			if err := fn(chunk); err != nil {
				return err
			}
			pos += n
		}
		return nil
	}
	pos := start
	for _, sp := range areas.clip(start, end).spans {
		if err := emit(pos, sp.start, false); err != nil {
			return err
		}
		if err := emit(sp.start, sp.end, true); err != nil {
			return err
		}
		pos = sp.end
	}
	return emit(pos, end, false)
}
