package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// testLayer makes a layer with a sparse content file in a temporary folder.
func testLayer(t *testing.T, name string, capacity int64, parent *layer) *layer {
	t.Helper()
	f, err := createSparse(filepath.Join(t.TempDir(), name), capacity)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return &layer{path: name, hostPath: f.Name(), file: f, capacity: capacity, parent: parent}
}

func readView(t *testing.T, l *layer, off, n int64) []byte {
	t.Helper()
	p := make([]byte, n)
	if err := l.readAt(p, off); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustWrite(t *testing.T, l *layer, off int64, data []byte) {
	t.Helper()
	if err := l.writeAt(data, off); err != nil {
		t.Fatal(err)
	}
}

func TestLayerReadsAcrossAChain(t *testing.T) {
	base := testLayer(t, "base", 100, nil)
	mustWrite(t, base, 0, bytes.Repeat([]byte("a"), 100))
	mid := testLayer(t, "mid", 100, base)
	mustWrite(t, mid, 10, []byte("bbbb"))
	top := testLayer(t, "top", 100, mid)
	mustWrite(t, top, 12, []byte("cccc"))
	mustWrite(t, top, 90, []byte("dd"))

	want := []byte(strings100("a"))
	copy(want[10:], "bbbb")
	copy(want[12:], "cccc")
	copy(want[90:], "dd")
	if got := readView(t, top, 0, 100); !bytes.Equal(got, want) {
		t.Fatalf("top view\n got %q\nwant %q", got, want)
	}
	if got := readView(t, mid, 8, 8); string(got) != "aabbbbaa" {
		t.Fatalf("mid view = %q", got)
	}
	if got := readView(t, base, 10, 4); string(got) != "aaaa" {
		t.Fatalf("base changed: %q", got)
	}
	if !reflect.DeepEqual(top.written.spans, []span{{12, 16}, {90, 92}}) {
		t.Fatalf("top written = %v", top.written.spans)
	}
}

func strings100(s string) string { return string(bytes.Repeat([]byte(s), 100)) }

func TestMergeIntoAppliesOnlyTheDeltaWrites(t *testing.T) {
	base := testLayer(t, "base", 1<<20, nil)
	mustWrite(t, base, 0, bytes.Repeat([]byte{1}, 4096))
	delta := testLayer(t, "delta", 1<<20, base)
	mustWrite(t, delta, 100, []byte{9, 9, 9})
	mustWrite(t, delta, 500000, []byte{7})
	before := readView(t, delta, 0, 1<<20)

	if err := mergeInto(delta); err != nil {
		t.Fatal(err)
	}
	if got := readView(t, base, 0, 1<<20); !bytes.Equal(got, before) {
		t.Fatal("base after consolidation differs from the delta's view")
	}
	if err := mergeInto(base); err == nil {
		t.Fatal("merging a base layer must fail")
	}
}

func TestMergeIntoADeltaParentRecordsTheWrites(t *testing.T) {
	base := testLayer(t, "base", 1000, nil)
	mid := testLayer(t, "mid", 1000, base)
	mustWrite(t, mid, 0, []byte("x"))
	top := testLayer(t, "top", 1000, mid)
	mustWrite(t, top, 500, []byte("yy"))
	if err := mergeInto(top); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(mid.written.spans, []span{{0, 1}, {500, 502}}) {
		t.Fatalf("mid written = %v", mid.written.spans)
	}
}

func TestAllocatedAreasOfAChain(t *testing.T) {
	const capacity = 64 << 20
	base := testLayer(t, "base", capacity, nil)
	mustWrite(t, base, 1<<20, bytes.Repeat([]byte{1}, 8192))
	delta := testLayer(t, "delta", capacity, base)
	mustWrite(t, delta, 10<<20+3, []byte{2, 2})

	got, err := delta.allocated()
	if err != nil {
		t.Fatal(err)
	}
	// base data regions are filesystem blocks (4 KiB on ext4/xfs); the delta's are byte-exact
	want := newIntervalSet(span{1 << 20, 1<<20 + 8192}, span{10<<20 + 3, 10<<20 + 5})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("allocated = %v, want %v", got.spans, want.spans)
	}
	empty := testLayer(t, "empty", capacity, nil)
	if a, _ := empty.allocated(); !a.isEmpty() {
		t.Fatalf("a new sparse file has allocated areas %v", a.spans)
	}
}

func TestEffectiveSkipsUnwrittenDeltas(t *testing.T) {
	base := testLayer(t, "base", 100, nil)
	clone := testLayer(t, "clone", 100, base)
	if clone.effective() != base {
		t.Fatal("a fresh linked clone should stand for its base")
	}
	mustWrite(t, clone, 1, []byte("z"))
	if clone.effective() != clone {
		t.Fatal("a written delta stands for itself")
	}
	if !clone.chainContains(base) || base.chainContains(clone) {
		t.Fatal("chainContains is wrong")
	}
}

func TestMaterializeAndForEachChunkGiveTheView(t *testing.T) {
	const capacity = 3*copyChunk + 123
	base := testLayer(t, "base", capacity, nil)
	mustWrite(t, base, copyChunk-1, []byte("ab"))
	delta := testLayer(t, "delta", capacity, base)
	mustWrite(t, delta, capacity-2, []byte("yz"))
	view := readView(t, delta, 0, capacity)

	dst := filepath.Join(t.TempDir(), "flat")
	if err := materialize(delta, dst); err != nil {
		t.Fatal(err)
	}
	flat, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(flat, view) {
		t.Fatalf("materialized copy differs (err %v, len %d)", err, len(flat))
	}
	h := sha256.New()
	if err := forEachChunk(delta, 0, capacity, func(p []byte) error { _, err := h.Write(p); return err }); err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(view); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatal("forEachChunk hash differs from the view's hash")
	}
}

func TestPatternsAreReproducibleAndTextIsReadable(t *testing.T) {
	text, _ := newPattern("text:ab")
	p := make([]byte, 40)
	text(p[:7], 0) // written in two calls: the result must not depend on the split
	text(p[7:], 7)
	if want := "ab 0000000000000000\nab 0000000000000001\n"; string(p) != want {
		t.Fatalf("text pattern %q", p)
	}
	r1, _ := newPattern("random:s")
	r2, _ := newPattern("random:s")
	a, b := make([]byte, 64), make([]byte, 64)
	r1(a, 0)
	r2(b, 0)
	if !bytes.Equal(a, b) || bytes.Equal(a, make([]byte, 64)) {
		t.Fatal("random pattern not reproducible")
	}
	for _, bad := range []string{"", "byte:256", "byte:x", "nope:1"} {
		if _, err := newPattern(bad); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}
