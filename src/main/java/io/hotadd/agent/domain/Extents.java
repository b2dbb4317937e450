package io.hotadd.agent.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Pure operations on lists of extents: normalising what vCenter reports and cutting it for I/O. */
public final class Extents {
    private Extents() {
    }

    /** Sorted, with overlapping or touching extents merged and empty ones dropped. */
    public static List<Extent> normalize(List<Extent> extents) {
        List<Extent> sorted = new ArrayList<>(extents);
        sorted.removeIf(Extent::isEmpty);
        sorted.sort(null);
        List<Extent> out = new ArrayList<>();
        for (Extent e : sorted) {
            int last = out.size() - 1;
            if (last >= 0 && out.get(last).overlapsOrTouches(e)) {
                Extent prev = out.get(last);
                out.set(last, Extent.ofRange(prev.offset(), Math.max(prev.end(), e.end())));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Normalised extents grown to {@code alignment} (the device's logical block size, so O_DIRECT accepts
     * every read) and clipped to the disk's {@code capacity}.
     */
    public static List<Extent> alignOut(List<Extent> extents, long alignment, long capacity) {
        List<Extent> aligned = new ArrayList<>();
        for (Extent e : extents) {
            if (e.offset() >= capacity) {
                throw new IllegalArgumentException("extent " + e + " starts beyond the disk's capacity " + capacity);
            }
            aligned.add(e.alignOut(alignment, capacity));
        }
        return normalize(aligned);
    }

    /** Calls {@code piece} for consecutive pieces of every extent, none longer than {@code maxPiece}. */
    public static void split(List<Extent> extents, long maxPiece, Consumer<Extent> piece) {
        if (maxPiece <= 0) {
            throw new IllegalArgumentException("maxPiece must be positive, was " + maxPiece);
        }
        for (Extent e : extents) {
            for (long off = e.offset(); off < e.end(); off += maxPiece) {
                piece.accept(Extent.ofRange(off, Math.min(e.end(), off + maxPiece)));
            }
        }
    }

    public static long totalLength(List<Extent> extents) {
        long sum = 0;
        for (Extent e : extents) {
            sum += e.length();
        }
        return sum;
    }
}
