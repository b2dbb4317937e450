package io.hotadd.agent.domain;

/**
 * A byte range of a virtual disk: {@code [offset, offset + length)}. Offsets and lengths are in bytes, as
 * vSphere's QueryChangedDiskAreas reports them.
 */
public record Extent(long offset, long length) implements Comparable<Extent> {

    public Extent {
        if (offset < 0 || length < 0 || offset + length < offset) {
            throw new IllegalArgumentException("invalid extent offset=" + offset + " length=" + length);
        }
    }

    public static Extent ofRange(long start, long end) {
        return new Extent(start, end - start);
    }

    public long end() {
        return offset + length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public boolean overlapsOrTouches(Extent other) {
        return offset <= other.end() && other.offset <= end();
    }

    /** This extent grown outwards so that both ends are multiples of {@code alignment}, capped at {@code limit}. */
    public Extent alignOut(long alignment, long limit) {
        long start = Math.floorDiv(offset, alignment) * alignment;
        long stop = Math.min(limit, Math.floorDiv(end() + alignment - 1, alignment) * alignment);
        return ofRange(start, Math.max(start, stop));
    }

    @Override
    public int compareTo(Extent o) {
        int c = Long.compare(offset, o.offset);
        return c != 0 ? c : Long.compare(length, o.length);
    }

    @Override
    public String toString() {
        return "[" + offset + "+" + length + ")";
    }
}
