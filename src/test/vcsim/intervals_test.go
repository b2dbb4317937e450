package main

import (
	"reflect"
	"testing"
)

func TestIntervalSetAddMergesOverlappingAndTouchingRanges(t *testing.T) {
	var s intervalSet
	s.add(10, 20)
	s.add(30, 40)
	s.add(50, 60)
	s.add(20, 25) // touches [10,20)
	s.add(35, 52) // bridges [30,40) and [50,60)
	s.add(0, 0)   // empty: ignored
	want := []span{{10, 25}, {30, 60}}
	if !reflect.DeepEqual(s.spans, want) {
		t.Fatalf("spans = %v, want %v", s.spans, want)
	}
	s.add(5, 100)
	if !reflect.DeepEqual(s.spans, []span{{5, 100}}) {
		t.Fatalf("covering add: %v", s.spans)
	}
	if s.total() != 95 {
		t.Fatalf("total = %d", s.total())
	}
}

func TestIntervalSetAddOutOfOrderKeepsSorted(t *testing.T) {
	s := newIntervalSet(span{100, 110}, span{0, 5}, span{50, 60}, span{7, 9})
	want := []span{{0, 5}, {7, 9}, {50, 60}, {100, 110}}
	if !reflect.DeepEqual(s.spans, want) {
		t.Fatalf("spans = %v, want %v", s.spans, want)
	}
}

func TestIntervalSetClipAndGaps(t *testing.T) {
	s := newIntervalSet(span{10, 20}, span{30, 40})
	if got := s.clip(15, 35).spans; !reflect.DeepEqual(got, []span{{15, 20}, {30, 35}}) {
		t.Fatalf("clip = %v", got)
	}
	if got := s.gaps(0, 50); !reflect.DeepEqual(got, []span{{0, 10}, {20, 30}, {40, 50}}) {
		t.Fatalf("gaps = %v", got)
	}
	if got := s.gaps(12, 18); got != nil {
		t.Fatalf("gaps inside a span = %v", got)
	}
	if got := s.gaps(20, 30); !reflect.DeepEqual(got, []span{{20, 30}}) {
		t.Fatalf("gaps between spans = %v", got)
	}
}

func TestIntervalSetRoundOutToBlocksAndCapacity(t *testing.T) {
	s := newIntervalSet(span{1, 2}, span{4095, 4097}, span{9000, 9001})
	got := s.roundOut(4096, 10000).spans
	want := []span{{0, 8192}, {8192, 10000}}
	// [0,4096)+[0,8192) merge; [8192,12288) is clipped to the capacity and touches the first one
	if !reflect.DeepEqual(got, []span{{0, 10000}}) {
		t.Fatalf("roundOut = %v (unmerged form would be %v)", got, want)
	}
	got = newIntervalSet(span{5000, 5001}).roundOut(1024, 1<<20).spans
	if !reflect.DeepEqual(got, []span{{4096, 5120}}) {
		t.Fatalf("roundOut single = %v", got)
	}
}
