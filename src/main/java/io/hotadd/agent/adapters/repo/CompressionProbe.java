package io.hotadd.agent.adapters.repo;

import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;

/**
 * Decides whether a chunk is worth a full compression attempt, from 16 samples of 1 KiB spread evenly
 * over it and compressed together by the chunk's own zstd context. If zstd finds nothing at all in them (it
 * stores the sample raw), the chunk is random, compressed or encrypted data, and a full attempt would end in
 * storing it raw anyway: 30 % of the benchmark image, 0.4 s of CPU per GB at zstd level 1 here, for 16 KiB.
 *
 * <p>What it can miss: a compressible region of less than a sample interval (64 KiB of a 1 MiB chunk)
 * between incompressible ones. Any region longer than an interval plus a sample holds a whole sample, which
 * then compresses, so what is lost is at most 1/16 of a chunk: about the 5 % a chunk must save to be
 * stored compressed in the first place.
 */
final class CompressionProbe {
    static final int PIECES = 16;
    static final int PIECE = 1 << 10;

    private final ZstdCompressCtx zstd;
    private final ByteBuffer out;
    private final ByteBuffer sample = ByteBuffer.allocateDirect(PIECES * PIECE);

    /** @param out scratch for the compressed sample, at least a compress bound of the sample's size */
    CompressionProbe(ZstdCompressCtx zstd, ByteBuffer out) {
        this.zstd = zstd;
        this.out = out;
    }

    /** Whether to compress {@code chunk} (a direct buffer; its position is unchanged). */
    boolean worthTrying(ByteBuffer chunk) {
        int length = chunk.remaining();
        int stride = length / PIECES;
        if (stride < 2 * PIECE) {
            return true; // a short chunk (a disk's last one) costs little to try whole
        }
        sample.clear();
        for (int i = 0; i < PIECES; i++) {
            int at = chunk.position() + i * stride;
            sample.put(chunk.duplicate().position(at).limit(at + PIECE));
        }
        int n = zstd.compressDirectByteBuffer(out, 0, out.capacity(), sample, 0, sample.position());
        return n < sample.position();
    }
}
