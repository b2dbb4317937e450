package io.hotadd.agent.adapters.blockdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AlignedBuffersTest {

    @Test
    void buffersAreDirectExactlySizedAndAlignedForEveryCommonSectorSize() {
        for (int alignment : new int[] {512, 4096, 65536}) {
            for (int attempt = 0; attempt < 8; attempt++) {
                ByteBuffer buffer = AlignedBuffers.allocate(4 * alignment, alignment);
                assertTrue(buffer.isDirect());
                assertEquals(4 * alignment, buffer.capacity());
                assertEquals(0, buffer.position());
                assertEquals(0, buffer.alignmentOffset(0, alignment), "alignment " + alignment);
            }
        }
    }

    @Test
    void sizesThatAreNotWholeBlocksAndOddAlignmentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AlignedBuffers.allocate(1000, 512));
        assertThrows(IllegalArgumentException.class, () -> AlignedBuffers.allocate(0, 512));
        assertThrows(IllegalArgumentException.class, () -> AlignedBuffers.allocate(3000, 3000));
    }
}
