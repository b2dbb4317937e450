package main

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// lseek whence values for sparse files (Linux): not exported by package syscall.
const (
	seekData = 3
	seekHole = 4
)

// dataRegions lists the allocated (non-hole) regions of f below limit, as the filesystem reports them with
// SEEK_DATA/SEEK_HOLE. Regions are at filesystem-block granularity. A filesystem without sparse-file support
// makes the whole file count as data, which is the safe answer for "allocated areas".
func dataRegions(f *os.File, limit int64) (intervalSet, error) {
	var out intervalSet
	fd := int(f.Fd())
	for off := int64(0); off < limit; {
		start, err := syscall.Seek(fd, off, seekData)
		if errors.Is(err, syscall.ENXIO) {
			break // no data after off
		}
		if errors.Is(err, syscall.EINVAL) {
			return newIntervalSet(span{0, limit}), nil
		}
		if err != nil {
			return out, &os.PathError{Op: "seek data", Path: f.Name(), Err: err}
		}
		if start >= limit {
			break
		}
		end, err := syscall.Seek(fd, start, seekHole)
		if err != nil {
			return out, &os.PathError{Op: "seek hole", Path: f.Name(), Err: err}
		}
		out.add(start, min64(end, limit))
		off = end
	}
	return out, nil
}

// readFull reads len(p) bytes at off; bytes past the end of the file read as zeros (a content file may be
// shorter than a grown disk).
func readFull(f *os.File, p []byte, off int64) error {
	n, err := f.ReadAt(p, off)
	if err == io.EOF {
		for i := n; i < len(p); i++ {
			p[i] = 0
		}
		return nil
	}
	return err
}

// createSparse creates (or truncates) a content file of the given size without allocating any block.
func createSparse(path string, size int64) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0600)
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(size); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// openContent opens an existing content file read-write and makes it at least size bytes long, so that a
// disk whose file the simulator created empty reads as zeros over its whole capacity.
func openContent(path string, size int64) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.Size() < size {
		err = f.Truncate(size)
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}
