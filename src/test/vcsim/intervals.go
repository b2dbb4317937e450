package main

import "sort"

// span is a half-open byte range [start, end) of a disk.
type span struct {
	start, end int64
}

func (s span) length() int64 { return s.end - s.start }

// intervalSet is a byte-exact set of disk ranges, kept sorted, disjoint and with touching ranges merged, so
// that two sets with the same bytes always have the same spans (tests compare them directly).
type intervalSet struct {
	spans []span
}

func newIntervalSet(spans ...span) intervalSet {
	var s intervalSet
	for _, sp := range spans {
		s.add(sp.start, sp.end)
	}
	return s
}

// add inserts [start, end), merging it with every span it overlaps or touches.
func (s *intervalSet) add(start, end int64) {
	if end <= start {
		return
	}
	// first span that ends at or after start: everything before it stays as is
	i := sort.Search(len(s.spans), func(k int) bool { return s.spans[k].end >= start })
	j := i
	for j < len(s.spans) && s.spans[j].start <= end {
		if s.spans[j].start < start {
			start = s.spans[j].start
		}
		if s.spans[j].end > end {
			end = s.spans[j].end
		}
		j++
	}
	merged := append([]span{}, s.spans[:i]...)
	merged = append(merged, span{start, end})
	s.spans = append(merged, s.spans[j:]...)
}

func (s *intervalSet) addSet(o intervalSet) {
	for _, sp := range o.spans {
		s.add(sp.start, sp.end)
	}
}

func (s intervalSet) isEmpty() bool { return len(s.spans) == 0 }

func (s intervalSet) total() int64 {
	var n int64
	for _, sp := range s.spans {
		n += sp.length()
	}
	return n
}

func (s intervalSet) copySet() intervalSet {
	return intervalSet{spans: append([]span(nil), s.spans...)}
}

// clip returns the parts of the set inside [start, end).
func (s intervalSet) clip(start, end int64) intervalSet {
	var out intervalSet
	for _, sp := range s.spans {
		if sp.end <= start || sp.start >= end {
			continue
		}
		out.spans = append(out.spans, span{max64(sp.start, start), min64(sp.end, end)})
	}
	return out
}

// gaps returns the parts of [start, end) that are not in the set, in order.
func (s intervalSet) gaps(start, end int64) []span {
	var out []span
	pos := start
	for _, sp := range s.clip(start, end).spans {
		if sp.start > pos {
			out = append(out, span{pos, sp.start})
		}
		pos = sp.end
	}
	if pos < end {
		out = append(out, span{pos, end})
	}
	return out
}

// roundOut widens every span to whole blocks of the given size (aligned to offset 0), never past limit,
// which is how vSphere reports changed and allocated areas.
func (s intervalSet) roundOut(block, limit int64) intervalSet {
	var out intervalSet
	for _, sp := range s.spans {
		start := sp.start / block * block
		end := (sp.end + block - 1) / block * block
		out.add(start, min64(end, limit))
	}
	return out
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
