package main

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/vmware/govmomi/vim25/types"
)

func extents(info types.DiskChangeInfo) []span {
	var out []span
	for _, e := range info.ChangedArea {
		out = append(out, span{e.Start, e.Start + e.Length})
	}
	return out
}

func TestTrackerIdsAndChangeIds(t *testing.T) {
	a, b := newTracker(), newTracker()
	form := regexp.MustCompile(`^52( [0-9a-f]{2}){7}-[0-9a-f]{2}( [0-9a-f]{2}){7}$`)
	if !form.MatchString(a.id) || a.id == b.id {
		t.Fatalf("tracking ids %q %q", a.id, b.id)
	}
	a.record(0, 1)
	id, seq, ok := parseChangeID(a.changeID(a.seq))
	if !ok || id != a.id || seq != 1 {
		t.Fatalf("round trip: %q %d %v", id, seq, ok)
	}
	for _, bad := range []string{"", "*", "abc", "/5", a.id + "/", a.id + "/-1", a.id + "/x"} {
		if _, _, ok := parseChangeID(bad); ok {
			t.Errorf("%q parsed as a changeId", bad)
		}
	}
}

func TestChangedBetweenIsExactForAWritePattern(t *testing.T) {
	tr := newTracker()
	tr.record(0, 10)      // 1
	s1 := tr.seq          // snapshot 1
	tr.record(100, 200)   // 2
	tr.record(150, 300)   // 3 overlaps 2
	tr.record(1000, 1001) // 4
	s2 := tr.seq          // snapshot 2
	tr.record(5000, 6000) // 5 after snapshot 2
	got := tr.changedBetween(s1, s2)
	want := newIntervalSet(span{100, 300}, span{1000, 1001})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changed = %v, want %v", got.spans, want.spans)
	}
	if !tr.changedBetween(s2, s2).isEmpty() {
		t.Fatal("nothing changed between a snapshot and itself")
	}
}

func TestAnswerRoundsUnalignedWritesOutToBlocks(t *testing.T) {
	limits := cbtLimits{block: 65536, window: 1 << 40, maxExtents: 100}
	areas := newIntervalSet(span{1, 2}, span{65535, 65537}, span{300000, 300001})
	info := limits.answer(areas, 0, 1<<20)
	want := []span{{0, 131072}, {262144, 327680}}
	if got := extents(info); !reflect.DeepEqual(got, want) {
		t.Fatalf("extents = %v, want %v", got, want)
	}
	if info.StartOffset != 0 || info.Length != 1<<20 {
		t.Fatalf("covered %d+%d", info.StartOffset, info.Length)
	}
}

func TestAnswerClipsToCapacityThatIsNotBlockAligned(t *testing.T) {
	limits := cbtLimits{block: 65536, window: 1 << 40, maxExtents: 100}
	info := limits.answer(newIntervalSet(span{99990, 99999}), 0, 100000)
	if got := extents(info); !reflect.DeepEqual(got, []span{{65536, 100000}}) {
		t.Fatalf("extents = %v", got)
	}
}

func TestAnswerPagesByWindow(t *testing.T) {
	limits := cbtLimits{block: 4096, window: 1 << 20, maxExtents: 100}
	areas := newIntervalSet(span{0, 4096}, span{(1 << 20) - 10, (1 << 20) + 10}, span{3 << 20, 3<<20 + 1})
	capacity := int64(3<<20 + 100)
	var pages [][]span
	for start := int64(0); start < capacity; {
		info := limits.answer(areas, start, capacity)
		if info.StartOffset != start || info.Length <= 0 {
			t.Fatalf("page at %d: %+v", start, info)
		}
		pages = append(pages, extents(info))
		start += info.Length
	}
	want := [][]span{
		{{0, 4096}, {1<<20 - 4096, 1 << 20}},
		{{1 << 20, 1<<20 + 4096}},
		nil,
		{{3 << 20, 3<<20 + 100}},
	}
	if !reflect.DeepEqual(pages, want) {
		t.Fatalf("pages = %v, want %v", pages, want)
	}
}

func TestAnswerCutsTheWindowAfterMaxExtents(t *testing.T) {
	limits := cbtLimits{block: 1024, window: 1 << 30, maxExtents: 2}
	areas := newIntervalSet(span{0, 1}, span{4096, 4097}, span{8192, 8193}, span{20000, 20001}, span{40000, 40001})
	info := limits.answer(areas, 0, 1<<20)
	if got := extents(info); !reflect.DeepEqual(got, []span{{0, 1024}, {4096, 5120}}) {
		t.Fatalf("first page %v", got)
	}
	if info.Length != 5120 {
		t.Fatalf("first page covers %d bytes, want 5120", info.Length)
	}
	info = limits.answer(areas, 5120, 1<<20)
	if got := extents(info); !reflect.DeepEqual(got, []span{{8192, 9216}, {19456, 20480}}) || info.Length != 20480-5120 {
		t.Fatalf("second page %v covering %d", got, info.Length)
	}
	info = limits.answer(areas, 20480, 1<<20)
	if got := extents(info); !reflect.DeepEqual(got, []span{{39936, 40960}}) || info.StartOffset+info.Length != 1<<20 {
		t.Fatalf("last page %+v", info)
	}
}
