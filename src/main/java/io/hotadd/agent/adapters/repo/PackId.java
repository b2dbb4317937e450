package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;

/** A pack file's name: 128 random bits, so writers on many proxies never pick the same name. */
public record PackId(long hi, long lo) {
    public static final int BYTES = 16;

    public static PackId random(Random random) {
        return new PackId(random.nextLong(), random.nextLong());
    }

    public static PackId read(ByteBuffer b) {
        return new PackId(b.getLong(), b.getLong());
    }

    public static PackId parse(String hex) {
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
        return read(b);
    }

    public void write(ByteBuffer b) {
        b.putLong(hi).putLong(lo);
    }

    /** The storage object: packs are spread over 256 folders so no folder grows too large for NFS. */
    public String objectName() {
        String hex = toString();
        return RepoLayout.DATA + hex.substring(0, 2) + "/" + hex;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(ByteBuffer.allocate(BYTES).putLong(hi).putLong(lo).array());
    }
}
