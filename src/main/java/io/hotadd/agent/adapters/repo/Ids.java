package io.hotadd.agent.adapters.repo;

import java.util.HexFormat;
import java.util.Random;

/** Random identifiers for objects whose names must never collide between writers. */
final class Ids {
    private Ids() {
    }

    static String randomHex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
