package io.hotadd.agent.adapters.blockdev;

import java.nio.ByteBuffer;

/**
 * Buffers O_DIRECT accepts. The kernel DMAs straight into the caller's memory, so the address, the file
 * offset and the length must all be multiples of the device's alignment; a plain
 * {@code allocateDirect} buffer is only guaranteed to be 8-byte aligned.
 */
public final class AlignedBuffers {

    private AlignedBuffers() {
    }

    /**
     * A direct buffer of exactly {@code size} bytes whose address is a multiple of {@code alignment}.
     * Allocate once per reader and reuse it: direct memory is slow to allocate and freed only by GC.
     */
    public static ByteBuffer allocate(int size, int alignment) {
        requirePowerOfTwo(alignment);
        if (size <= 0 || size % alignment != 0) {
            throw new IllegalArgumentException("buffer size " + size + " must be a positive multiple of the"
                    + " alignment " + alignment);
        }
        ByteBuffer raw = ByteBuffer.allocateDirect(size + alignment);
        return raw.alignedSlice(alignment).limit(size).slice();
    }

    /**
     * Checks that {@code buffer} can take an O_DIRECT transfer of its remaining bytes at {@code offset}.
     * A transfer that {@code endsAtDeviceEnd} may be shorter than a whole block (the last block of a disk
     * whose size is not a multiple of the alignment) if the buffer's capacity reaches the whole block.
     *
     * @param what names the device in the error, e.g. the path
     */
    static void requireUsable(ByteBuffer buffer, long offset, int alignment, boolean endsAtDeviceEnd,
                              String what) {
        if (!buffer.isDirect()) {
            throw misuse(what, "a heap buffer was passed; O_DIRECT needs a direct buffer from"
                    + " AlignedBuffers.allocate");
        }
        if (buffer.isReadOnly()) {
            throw misuse(what, "the buffer is read-only");
        }
        int misalignment = buffer.alignmentOffset(buffer.position(), alignment);
        if (misalignment != 0) {
            throw misuse(what, "the buffer's address at position " + buffer.position() + " is " + misalignment
                    + " bytes past a multiple of " + alignment + "; use AlignedBuffers.allocate");
        }
        if (offset % alignment != 0) {
            throw misuse(what, "offset " + offset + " is not a multiple of " + alignment);
        }
        requireWholeBlocks(buffer, alignment, endsAtDeviceEnd, what);
    }

    private static void requireWholeBlocks(ByteBuffer buffer, int alignment, boolean endsAtDeviceEnd,
                                           String what) {
        int length = buffer.remaining();
        if (length % alignment == 0) {
            return;
        }
        int wholeBlocks = length + alignment - length % alignment;
        if (!endsAtDeviceEnd) {
            throw misuse(what, "length " + length + " is not a multiple of " + alignment);
        }
        if (buffer.capacity() - buffer.position() < wholeBlocks) {
            throw misuse(what, "length " + length + " reaches the disk's end but is not a multiple of "
                    + alignment + ", and the buffer has no room to round it up to " + wholeBlocks + " bytes");
        }
    }

    static void requirePowerOfTwo(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, was " + alignment);
        }
    }

    private static BlockDeviceException misuse(String what, String problem) {
        return new BlockDeviceException("unusable buffer for O_DIRECT I/O on " + what + ": " + problem, false);
    }
}
