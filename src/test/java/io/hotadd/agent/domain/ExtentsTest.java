package io.hotadd.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtentsTest {
    private static Extent e(long off, long len) {
        return new Extent(off, len);
    }

    @Test
    void normalizeSortsMergesOverlappingAndTouchingAndDropsEmpty() {
        assertEquals(List.of(e(0, 30), e(40, 10)),
                Extents.normalize(List.of(e(40, 10), e(10, 20), e(0, 10), e(5, 0), e(12, 3))));
    }

    @Test
    void alignOutRoundsToTheSectorAndClipsToCapacity() {
        assertEquals(List.of(e(0, 1024), e(4096, 512)),
                Extents.alignOut(List.of(e(1, 10), e(600, 100), e(4100, 5000)), 512, 4608));
    }

    @Test
    void alignOutRefusesAnExtentBeyondTheDisk() {
        assertThrows(IllegalArgumentException.class, () -> Extents.alignOut(List.of(e(8192, 1)), 512, 4096));
    }

    @Test
    void splitCutsIntoBufferSizedPieces() {
        List<Extent> pieces = new ArrayList<>();
        Extents.split(List.of(e(0, 10), e(100, 4)), 4, pieces::add);
        assertEquals(List.of(e(0, 4), e(4, 4), e(8, 2), e(100, 4)), pieces);
        assertEquals(14, Extents.totalLength(pieces));
    }

    @Test
    void rejectsNegativeOrOverflowingExtents() {
        assertThrows(IllegalArgumentException.class, () -> e(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> e(Long.MAX_VALUE, 2));
    }
}
